//! Gateway events: READY registers the commands; each interaction is read into the core's terms, answered by the
//! core in a task of its own (a panic there becomes an ephemeral apology, never a dead bot), rendered and sent.
//! When the core is slow the interaction is deferred first and the answer edited in.

use super::cache::ReplyCache;
use super::respond::Target;
use super::{driver, register, render, Options};

#[path = "attachments.rs"]
mod attachments;
use crate::app::{App, Outcome};
use crate::commands::defs::{self, OptKind};
use crate::commands::request::parse_value;
use crate::commands::{Perms, Request, User, Value};
use crate::reply::Reply;
use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandInteraction, ComponentInteraction, Context,
    CreateInteractionResponse, EventHandler, GuildId, Interaction, Member, Permissions, Ready, ResumedEvent,
};
use serenity::async_trait;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Autocomplete cannot be deferred: answer within this or with nothing.
const AUTOCOMPLETE_BUDGET: Duration = Duration::from_millis(2500);

/// State shared by the event handler, the timer driver and shutdown.
pub(crate) struct Shared {
    pub app: Arc<App>,
    pub guild: Option<GuildId>,
    pub options: Options,
    accepting: AtomicBool,
    /// How many interactions are being answered; shutdown waits for it to reach 0.
    in_flight: tokio::sync::watch::Sender<usize>,
    registered: AtomicBool,
    /// Wakes the timer driver: an interaction changed the next deadline.
    pub wake: Notify,
    /// The deadline the timer driver is waiting for (`NO_DEADLINE` for none), as it last read it.
    pub driver_deadline: AtomicI64,
    /// Answers of pure commands, as sent.
    cache: ReplyCache,
}

/// `Shared::driver_deadline` when there is no deadline.
pub(crate) const NO_DEADLINE: i64 = i64::MAX;

impl Shared {
    pub fn new(app: Arc<App>, guild: Option<GuildId>, options: Options) -> Shared {
        Shared {
            app,
            guild,
            cache: ReplyCache::new(options.reply_cache),
            options,
            accepting: AtomicBool::new(true),
            in_flight: tokio::sync::watch::Sender::new(0),
            registered: AtomicBool::new(false),
            wake: Notify::new(),
            driver_deadline: AtomicI64::new(i64::MIN),
        }
    }

    /// The core's next deadline (`NO_DEADLINE` for none); a panic counts as none, and is logged.
    pub fn next_deadline(&self) -> i64 {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.app.next_deadline())) {
            Ok(d) => d.unwrap_or(NO_DEADLINE),
            Err(panic) => {
                tracing::error!("asking for the next deadline panicked: {}", payload_message(panic));
                NO_DEADLINE
            }
        }
    }

    /// Wake the timer driver when the next deadline is no longer the one it waits for (most interactions change
    /// no timer: waking it for each cost every slash command a thread switch).
    pub fn wake_driver_if_needed(&self) {
        if self.next_deadline() != self.driver_deadline.load(Ordering::SeqCst) {
            self.wake.notify_one();
        }
    }

    pub fn stop_accepting(&self) {
        self.accepting.store(false, Ordering::SeqCst);
    }

    fn accepting(&self) -> bool {
        self.accepting.load(Ordering::SeqCst)
    }

    /// Wait until no interaction is being answered, or `grace` has passed.
    pub async fn wait_idle(&self, grace: Duration) {
        let mut count = self.in_flight.subscribe();
        let _ = tokio::time::timeout(grace, count.wait_for(|n| *n == 0)).await;
    }
}

/// Counts an interaction as being answered while it lives.
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn new(s: &'a Shared) -> InFlight<'a> {
        s.in_flight.send_modify(|n| *n += 1);
        InFlight(s)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }
}

pub(crate) struct Handler {
    shared: Arc<Shared>,
}

impl Handler {
    pub fn new(shared: Arc<Shared>) -> Handler {
        Handler { shared }
    }
}

/// Milliseconds since the Unix epoch: the core's clock.
pub(crate) use crate::clock::wall_ms as now_ms;

/// Run synchronous core code on a blocking thread; a panic comes back as its message.
pub(crate) async fn guarded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    tokio::task::spawn_blocking(f).await.map_err(panic_message)
}

/// Run asynchronous core code in its own task; a panic comes back as its message.
pub(crate) async fn guarded_async<T: Send + 'static>(
    f: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    tokio::spawn(f).await.map_err(panic_message)
}

fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return e.to_string();
    }
    payload_message(e.into_panic())
}

fn payload_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with no message".to_string()
    }
}

/// What the user sees when something broke on our side.
fn failure_reply(what: &str) -> Reply {
    Reply::error(format!(
        "Something went wrong on my side while answering {what}. It has been logged; please try again in a moment, \
         or try another command."
    ))
}

fn restarting_reply() -> Reply {
    Reply::error("Rendezvous is restarting and not taking commands right now. Please try again in a minute.")
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            user = %ready.user.name,
            application = ready.application.id.get(),
            shard = %ready.shard.map_or_else(|| "0/1".to_string(), |s| format!("{}/{}", s.id.0, s.total)),
            guilds = ready.guilds.len(),
            "connected to Discord"
        );
        // One process registers: the one running shard 0 (every process of a bot split in ranges would otherwise
        // send the same commands).
        if ready.shard.is_some_and(|s| s.id.0 != 0) {
            tracing::info!(
                shard = ready.shard.map(|s| s.id.0),
                "shard ready; the commands are registered by the process running shard 0"
            );
            return;
        }
        if self.shared.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let place = match self.shared.guild {
            Some(g) => format!("in server {g}"),
            None => "globally".to_string(),
        };
        match register::register(&ctx.http, self.shared.guild).await {
            Ok(cmds) => tracing::info!(count = cmds.len(), "registered the slash commands {place}"),
            Err(e) => {
                let e = super::shown(&e);
                self.shared.registered.store(false, Ordering::SeqCst);
                tracing::error!(
                    "could not register the slash commands {place}: {e}; check that the bot was invited with the \
                     applications.commands scope (and is in that server), then restart or run `rendezvous register`"
                );
            }
        }
    }

    async fn resume(&self, _ctx: Context, _: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _busy = InFlight::new(&self.shared);
        let started = Instant::now();
        let (kind, what, guild) = match interaction {
            Interaction::Command(cmd) => {
                let path = command_path(&cmd);
                self.on_command(&ctx, &cmd, &path).await;
                ("command", path, cmd.guild_id)
            }
            Interaction::Autocomplete(ac) => {
                let path = command_path(&ac);
                self.on_autocomplete(&ctx, &ac).await;
                ("autocomplete", path, ac.guild_id)
            }
            Interaction::Component(c) => {
                let what = button_kind(&c.data.custom_id);
                self.on_component(&ctx, &c).await;
                ("button", what, c.guild_id)
            }
            other => {
                tracing::debug!(kind = ?other.kind(), "ignoring an interaction of a kind the bot does not use");
                return;
            }
        };
        self.shared.wake_driver_if_needed();
        tracing::info!(
            kind,
            command = %what,
            guild = %guild.map_or_else(|| "dm".to_string(), |g| g.to_string()),
            latency_ms = started.elapsed().as_millis() as u64,
            "interaction"
        );
    }
}

impl Handler {
    async fn on_command(&self, ctx: &Context, cmd: &CommandInteraction, path: &str) {
        let target = Target::Command(cmd);
        if !self.shared.accepting() {
            target.respond_or_log(&ctx.http, &restarting_reply()).await;
            return;
        }
        let mut keep = None;
        let job: Job = match request(cmd, &self.shared.options.host_roles) {
            Ok(req) => {
                // Read before the command runs: a body made from a knowledge base replaced meanwhile is not kept.
                let generation = self.shared.app.kb_generation();
                if let Some(key) = self.shared.cache.key(&req) {
                    if let Some(body) = self.shared.cache.get(generation, &key) {
                        if let Err(e) = target.respond_body(&ctx.http, body.to_vec()).await {
                            self.answer_failed(ctx, target, &e, path).await;
                        }
                        return;
                    }
                    keep = Some((generation, key));
                }
                let app = self.shared.app.clone();
                // Nothing is downloaded for someone the command will refuse.
                let allowed = crate::commands::Command::access_of(&req).allows(req.perms, false);
                let fetch = if allowed { attachments::wanted(cmd) } else { Vec::new() };
                Box::pin(async move {
                    // Attachments are downloaded here, inside the job: a slow download is deferred like a slow command.
                    match attachments::fetch(req, fetch).await {
                        Ok(req) => app.command(&req, now_ms()).await,
                        Err(reply) => Outcome::from(reply),
                    }
                })
            }
            Err(message) => {
                let reply = Reply::error(message);
                Box::pin(async move { Outcome::from(reply) })
            }
        };
        self.answer(ctx, target, job, path, keep).await;
    }

    async fn on_component(&self, ctx: &Context, c: &ComponentInteraction) {
        let target = Target::Component(c);
        if !self.shared.accepting() {
            target.respond_or_log(&ctx.http, &restarting_reply()).await;
            return;
        }
        let app = self.shared.app.clone();
        let custom_id = c.data.custom_id.clone();
        let caller = crate::context::Caller {
            user: user_of(&c.user, c.member.as_ref()),
            guild: c.guild_id.map(GuildId::get),
            channel: c.channel_id.get(),
            perms: perms_of(c.member.as_ref(), &self.shared.options.host_roles),
            roles: roles_of(c.member.as_ref()),
        };
        let job: Job = Box::pin(async move { app.press(&custom_id, &caller, now_ms()).await });
        self.answer(ctx, target, job, "this button", None).await;
    }

    async fn on_autocomplete(&self, ctx: &Context, ac: &CommandInteraction) {
        let reply = match (self.shared.accepting(), ac.data.autocomplete()) {
            (true, Some(focused)) => {
                let app = self.shared.app.clone();
                let command = ac.data.name.clone();
                let sub = subcommand(&ac.data.options).map(|(s, _)| s);
                let option = focused.name.to_string();
                let partial = focused.value.to_string();
                let job = guarded(move || app.autocomplete(&command, sub.as_deref(), &option, &partial));
                match tokio::time::timeout(AUTOCOMPLETE_BUDGET, job).await {
                    Ok(Ok(reply)) => reply,
                    Ok(Err(panic)) => {
                        tracing::error!(command = %ac.data.name, "autocomplete panicked: {panic}");
                        Reply::default()
                    }
                    Err(_) => {
                        tracing::warn!(command = %ac.data.name, "autocomplete took too long; answering with nothing");
                        Reply::default()
                    }
                }
            }
            _ => Reply::default(),
        };
        let integer = ac
            .data
            .autocomplete()
            .and_then(|f| option_def(&ac.data.name, subcommand(&ac.data.options).map(|(s, _)| s), f.name))
            .is_some_and(|o| o.kind == OptKind::Integer);
        let response = CreateInteractionResponse::Autocomplete(render::autocomplete(&reply, integer));
        if let Err(e) = ac.create_response(&ctx.http, response).await {
            let e = super::shown(&e);
            tracing::warn!(command = %ac.data.name, "could not send autocomplete suggestions: {e}");
        }
    }

    /// Answer from the core's job: directly if it is quick, else defer first and edit the answer in. Then send the
    /// outcome's posts. With `keep` (knowledge base generation, cache key), a quick answer that is a plain message
    /// is also kept in the reply cache.
    ///
    /// The job runs in this task rather than a task of its own: a lookup is done in microseconds, and handing it to
    /// another task cost more than the lookup (see docs/PERFORMANCE.md). A panic in it is still caught.
    async fn answer(&self, ctx: &Context, target: Target<'_>, job: Job, what: &str, keep: Option<(u64, String)>) {
        let mut job = CatchPanic(job);
        let defer_after = self.shared.options.defer_after;
        let early = if defer_after.is_zero() {
            None
        } else {
            // Most jobs are done at their first poll (lookups wait for nothing): only one that waits gets a timer.
            use std::future::Future;
            use std::task::Poll;
            match std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut job).poll(cx))).await {
                Poll::Ready(done) => Some(done),
                Poll::Pending => tokio::time::timeout(defer_after, &mut job).await.ok(),
            }
        };
        let posts = match early {
            Some(done) => {
                let keep = keep.filter(|_| done.is_ok());
                let outcome = outcome_of(done, what);
                let sent = match keep {
                    Some((generation, key)) => self.respond_and_keep(ctx, target, &outcome, generation, key).await,
                    None => target.respond(&ctx.http, &outcome.reply).await,
                };
                if let Err(e) = sent {
                    self.answer_failed(ctx, target, &e, what).await;
                }
                outcome.posts
            }
            None => {
                // The job goes on while the acknowledgement is sent.
                let (deferred, done) = tokio::join!(target.defer(&ctx.http), job);
                if let Err(e) = deferred {
                    let e = super::shown(&e);
                    tracing::warn!(command = %what, "could not defer the interaction: {e}");
                }
                let outcome = outcome_of(done, what);
                if let Err(e) = target.finish(&ctx.http, &outcome.reply).await {
                    let e = super::shown(&e);
                    tracing::warn!(command = %what, "Discord refused the deferred answer: {e}; sending a short note");
                    let note = render::followup(&failure_reply(what));
                    if let Err(e) = target.followup(&ctx.http, note).await {
                        let e = super::shown(&e);
                        tracing::warn!(command = %what, "could not send the note either: {e}");
                    }
                }
                outcome.posts
            }
        };
        driver::send_posts(&ctx.http, posts).await;
    }

    /// The first response did not go through. Discord's own failure (already retried) is logged and left: a note
    /// would fail the same way, and it is not the bot's fault. A refused body gets a short note instead.
    async fn answer_failed(&self, ctx: &Context, target: Target<'_>, e: &serenity::Error, what: &str) {
        let shown = super::shown(e);
        if super::respond::is_discords_failure(e) {
            tracing::warn!(command = %what, "Discord did not take the answer, twice: {shown}");
        } else {
            tracing::warn!(command = %what, "Discord refused the answer: {shown}; sending a short note instead");
            target.respond_or_log(&ctx.http, &failure_reply(what)).await;
        }
    }

    /// Send a pure command's answer and keep its body; an answer that is not a plain new message (posts, files, an
    /// error only the asker sees) is sent as any other and not kept.
    async fn respond_and_keep(
        &self,
        ctx: &Context,
        target: Target<'_>,
        outcome: &Outcome,
        generation: u64,
        key: String,
    ) -> serenity::Result<()> {
        let reply = &outcome.reply;
        if !outcome.posts.is_empty() || !reply.attachments.is_empty() || reply.ephemeral || reply.update {
            return target.respond(&ctx.http, reply).await;
        }
        let body = match render::message_body(reply) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!("could not write an answer as JSON: {e}");
                return target.respond(&ctx.http, reply).await;
            }
        };
        self.shared.cache.put(generation, key, Arc::from(body.as_slice()));
        target.respond_body(&ctx.http, body).await
    }
}

fn outcome_of(done: Result<Outcome, String>, what: &str) -> Outcome {
    done.unwrap_or_else(|panic| {
        tracing::error!(command = %what, "the handler failed: {panic}");
        Outcome::from(failure_reply(what))
    })
}

/// What the core does for one interaction.
type Job = std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + Send>>;

/// A job whose panic comes back as its message, as a spawned task's would.
struct CatchPanic(Job);

impl std::future::Future for CatchPanic {
    type Output = Result<Outcome, String>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let job = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(outcome)) => std::task::Poll::Ready(Ok(outcome)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(payload) => std::task::Poll::Ready(Err(payload_message(payload))),
        }
    }
}

/// `/name` or `/name sub`, for logs.
fn command_path(cmd: &CommandInteraction) -> String {
    match subcommand(&cmd.data.options) {
        Some((s, _)) => format!("/{} {s}", cmd.data.name),
        None => format!("/{}", cmd.data.name),
    }
}

/// What a button is, for logs: its kind, never its arguments (a search id holds words).
fn button_kind(custom_id: &str) -> String {
    format!("button {}", crate::ids::ButtonId::kind(custom_id))
}

/// The subcommand (or `group sub`) chosen, and its options.
fn subcommand(options: &[CommandDataOption]) -> Option<(String, &[CommandDataOption])> {
    match options.first().map(|o| (&o.name, &o.value)) {
        Some((name, CommandDataOptionValue::SubCommand(opts))) => Some((name.clone(), opts.as_slice())),
        Some((group, CommandDataOptionValue::SubCommandGroup(subs))) => match subcommand(subs) {
            Some((s, opts)) => Some((format!("{group} {s}"), opts)),
            None => Some((group.clone(), &[])),
        },
        _ => None,
    }
}

fn option_def(command: &str, sub: Option<String>, option: &str) -> Option<defs::OptionDef> {
    defs::find(command)?
        .options_for(sub.as_deref())?
        .iter()
        .find(|o| o.name == option)
        .cloned()
}

pub(crate) fn user_of(user: &serenity::all::User, member: Option<&Member>) -> User {
    let name = member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone());
    User {
        id: user.id.get(),
        name,
    }
}

/// What a member may do: Discord's permissions, plus event hosting for the configured host roles.
pub(crate) fn perms_of(member: Option<&Member>, host_roles: &[u64]) -> Perms {
    let p = member.and_then(|m| m.permissions).unwrap_or_else(Permissions::empty);
    let host_role = member.is_some_and(|m| m.roles.iter().any(|r| host_roles.contains(&r.get())));
    Perms {
        manage_guild: p.contains(Permissions::MANAGE_GUILD) || p.contains(Permissions::ADMINISTRATOR),
        manage_events: p.contains(Permissions::MANAGE_EVENTS) || p.contains(Permissions::ADMINISTRATOR) || host_role,
        host_role,
    }
}

/// A member's roles.
fn roles_of(member: Option<&Member>) -> Vec<u64> {
    member
        .map(|m| m.roles.iter().map(|r| r.get()).collect())
        .unwrap_or_default()
}

/// A slash command as the core's `Request`. Values are checked against the definitions as Discord's client would
/// (length, range), since a request may come from anywhere; what fails is explained to the user.
fn request(cmd: &CommandInteraction, host_roles: &[u64]) -> Result<Request, String> {
    let data = &cmd.data;
    let (sub, options) = match subcommand(&data.options) {
        Some((s, opts)) => (Some(s), opts),
        None => (None, data.options.as_slice()),
    };
    let mut req = Request::new(&data.name, user_of(&cmd.user, cmd.member.as_deref()));
    req.sub = sub;
    req.guild = cmd.guild_id.map(GuildId::get);
    req.channel = cmd.channel_id.get();
    req.perms = perms_of(cmd.member.as_deref(), host_roles);
    req.roles = roles_of(cmd.member.as_deref());
    let def = defs::find(&data.name);
    let defs_here = def.as_ref().and_then(|d| d.options_for(req.sub.as_deref()));
    for o in options {
        let value = match &o.value {
            CommandDataOptionValue::String(s) => Value::Str(s.clone()),
            CommandDataOptionValue::Integer(i) => Value::Int(*i),
            CommandDataOptionValue::Number(n) => Value::Num(*n),
            CommandDataOptionValue::Boolean(b) => Value::Bool(*b),
            CommandDataOptionValue::User(u) => Value::User(u.get()),
            CommandDataOptionValue::Channel(c) => Value::Channel(c.get()),
            CommandDataOptionValue::Role(r) => Value::Role(r.get()),
            CommandDataOptionValue::Attachment(id) => match data.resolved.attachments.get(id) {
                // Its bytes are fetched by `attachments::fetch`, unless its declared size is already too large.
                Some(a) => Value::File(crate::commands::Upload {
                    filename: a.filename.clone(),
                    size: u64::from(a.size),
                    bytes: None,
                }),
                None => return Err("Discord did not send the file with the command: attach it again.".into()),
            },
            _ => continue,
        };
        if let Some(od) = defs_here.and_then(|ds| ds.iter().find(|d| d.name == o.name)) {
            let raw = match &value {
                Value::Str(s) => Some(s.clone()),
                Value::Int(i) => Some(i.to_string()),
                Value::Num(n) => Some(n.to_string()),
                _ => None,
            };
            if let Some(raw) = raw {
                if let Err(e) = parse_value(od, &raw) {
                    return Err(format!(
                        "{e}. Please shorten or change it and run {} again.",
                        req.path()
                    ));
                }
            }
        }
        req.options.push((o.name.clone(), value));
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_core_code_comes_back_as_a_message() {
        let r: Result<(), String> = guarded(|| panic!("boom in the core")).await;
        assert_eq!(r.unwrap_err(), "boom in the core");
        assert_eq!(guarded(|| 2 + 2).await, Ok(4));
        let r: Result<(), String> = guarded_async(async { panic!("boom, async") }).await;
        assert_eq!(r.unwrap_err(), "boom, async");
        let note = failure_reply("/mission");
        assert!(note.ephemeral && note.text.contains("/mission"));
        let job: Job = Box::pin(async { panic!("boom in a job") });
        assert_eq!(CatchPanic(job).await.unwrap_err(), "boom in a job");
        let job: Job = Box::pin(async { Outcome::from(failure_reply("x")) });
        assert!(CatchPanic(job).await.is_ok());
    }

    #[test]
    fn button_kinds_in_logs_never_carry_arguments() {
        assert_eq!(button_kind("rv1:search:0:my secret words"), "button search");
        assert_eq!(button_kind("x"), "button unknown");
    }
}
