//! The Discord front end: the only module that names serenity.
//!
//! It is thin on purpose: an interaction becomes a [`Request`](crate::commands::Request) (or a button id, or an
//! autocomplete query), the core [`App`] answers with plain data, and this module renders that to Discord's
//! builders. Timers (trivia) are driven by a task that sleeps until [`App::next_deadline`].
//!
//! # Layout
//! - `register`: the command definitions (`commands::defs`) as Discord application commands.
//! - `render`: a [`Reply`](crate::reply::Reply) as embeds, action rows and files, within Discord's limits.
//! - `handler`: the gateway event handler: READY (registration) and interactions, panics caught and answered.
//! - `respond`: answering an interaction: responding, deferring, editing the answer in.
//! - `driver`: the timer task and the sending of channel posts.
//!
//! # Pointing at another API
//! With `discord.api_base` set, every REST call goes to that base (serenity's own rate limiter is off then, since it
//! would bypass the base), and the gateway URL must be the one that base answers to `GET /gateway`: if that call
//! fails the bot stops rather than silently connecting to the real Discord.
//!
//! # Shards
//! `[discord] shards = "auto"` runs every shard Discord recommends in this process (`GET /gateway/bot`); a fixed
//! `total` with a `range` runs those shards only (serenity's queue starts one every 5 s). A process whose range does
//! not start at shard 0 first waits its turn to identify: 5 s for every `max_concurrency` shards before its first,
//! the time the processes running the lower shards take to identify theirs. Only the process running shard 0
//! registers the commands.
//!
//! # Running on a real server
//! 1. Create an application at <https://discord.com/developers/applications>; under Bot, reset and copy the token.
//!    No privileged intents are needed.
//! 2. Invite it: OAuth2 > URL Generator, scopes `bot` and `applications.commands`, permissions Send Messages,
//!    Embed Links, Attach Files; open the URL and pick the server.
//! 3. `DISCORD_TOKEN=… rendezvous run` (add `RENDEZVOUS_GUILD_ID=<server id>` while trying it out: guild commands
//!    appear at once, global ones can take a while). `rendezvous register [--guild ID]` registers without running.
//! 4. Stop it with Ctrl-C or SIGTERM: running games end with their scores, the gateway closes cleanly. SIGHUP reloads
//!    the knowledge base (the old data keeps serving if the new has problems).

mod cache;
mod driver;
mod handler;
mod register;
mod render;
mod respond;

use crate::app::App;
use crate::config::{Config, Token};
use crate::shards::Shards;
use serenity::all::{ApplicationId, Command, GatewayIntents, GuildId};
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Intents: interactions arrive without any; GUILDS lets the client know its servers. Nothing privileged.
pub const INTENTS: GatewayIntents = GatewayIntents::GUILDS;

/// Knobs of the front end, with defaults that suit Discord.
#[derive(Clone, Debug)]
pub struct Options {
    /// Acknowledge (defer) an interaction when the core has not answered within this time, then edit the answer in.
    /// Discord allows 3 seconds for the first response.
    pub defer_after: Duration,
    /// How long shutdown waits for interactions being answered, and for the gateway to close.
    pub shutdown_grace: Duration,
    /// Members with one of these roles may host events as if they had Manage Events (`[events] host_roles`).
    pub host_roles: Vec<u64>,
    /// How many answers of pure commands to keep and send again as they are (`[discord] reply_cache`; 0: none).
    pub reply_cache: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            defer_after: Duration::from_millis(1500),
            shutdown_grace: Duration::from_secs(5),
            host_roles: Vec::new(),
            reply_cache: crate::config::DEFAULT_REPLY_CACHE,
        }
    }
}

/// Why the Discord front end could not run. Messages say what to do; none shows the token.
#[derive(Debug)]
pub enum Error {
    /// No token in the environment or the configuration.
    NoToken,
    /// The API base did not answer `GET /gateway`, or answered something unusable.
    Gateway { base: String, message: String },
    /// The gateway URL the client would use is not the one the configured API base gave.
    GatewayNotFromBase { base: String, url: String },
    /// A REST call failed (registration, application lookup).
    Http(String),
    /// The gateway connection ended with an error.
    Client(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoToken => f.write_str(NO_TOKEN_HELP),
            Error::Gateway { base, message } => write!(
                f,
                "the Discord API at {base} did not give a gateway URL (GET /api/v10/gateway): {message}; \
                 check discord.api_base / RENDEZVOUS_DISCORD_API"
            ),
            Error::GatewayNotFromBase { base, url } => write!(
                f,
                "refusing to connect to the gateway {url}: it did not come from the configured API base {base}"
            ),
            Error::Http(m) => write!(f, "a Discord API call failed: {m}"),
            Error::Client(m) => write!(f, "the Discord gateway connection failed: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// What to tell someone who runs the bot without a token.
pub const NO_TOKEN_HELP: &str = "\
no Discord bot token: set DISCORD_TOKEN (or discord.token_file in the configuration).
To get one: https://discord.com/developers/applications > New Application > Bot > Reset Token, then
invite the bot with the scopes bot and applications.commands (OAuth2 > URL Generator).
To try the commands without Discord, run `rendezvous console`.";

/// Describe a serenity error without anything secret in it (serenity's errors hold URLs and Discord's messages,
/// never the token; strip it anyway should one ever appear).
fn describe(e: &serenity::Error, token: &Token) -> String {
    let s = shown(e);
    if token.expose().len() >= 4 {
        s.replace(token.expose(), "<redacted>")
    } else {
        s
    }
}

/// An error as logs may show it: interaction and webhook tokens, which sit in request URLs that network errors quote,
/// are hidden.
pub(crate) fn shown(e: &serenity::Error) -> String {
    scrub(&e.to_string())
}

/// Replace the token segment after `/interactions/{id}/` and `/webhooks/{id}/` with `<token>`.
fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["/interactions/", "/webhooks/"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let Some((i, len)) = next else { break };
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let id_end = rest.find('/').unwrap_or(rest.len());
        out.push_str(&rest[..id_end]);
        rest = &rest[id_end..];
        if let Some(after) = rest.strip_prefix('/') {
            out.push('/');
            let end = after
                .find(|c: char| c == '/' || c == '?' || c == ')' || c.is_whitespace())
                .unwrap_or(after.len());
            if end > 0 {
                out.push_str("<token>");
            }
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

fn http_for(config: &Config) -> Result<(Http, Token), Error> {
    let token = config.discord.token.clone().ok_or(Error::NoToken)?;
    let mut builder = HttpBuilder::new(token.expose());
    if let Some(base) = &config.discord.api_base {
        // The rate limiter builds its requests without the proxy, so it must be off for the base to be honoured.
        builder = builder.proxy(base).ratelimiter_disabled(true);
    }
    Ok((builder.build(), token))
}

/// Run the bot until `shutdown` completes (or the gateway fails): connect, register the commands on READY, answer
/// interactions, drive timers; on shutdown stop taking interactions, end games and post their last messages, close
/// the score store (a checkpoint first), close the gateway with code 1000.
pub async fn run(config: &Config, app: Arc<App>, shutdown: impl Future<Output = ()> + Send) -> Result<(), Error> {
    let options = Options {
        host_roles: config.events.host_roles.clone(),
        reply_cache: config.discord.reply_cache,
        ..Options::default()
    };
    run_with(config, app, shutdown, options).await
}

/// [`run`] with explicit [`Options`].
pub async fn run_with(
    config: &Config,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send,
    options: Options,
) -> Result<(), Error> {
    let (http, token) = http_for(config)?;
    // Ask for the gateway ourselves first: serenity falls back to the real gateway if this fails.
    let expected = match &config.discord.api_base {
        Some(base) => Some(
            http.get_gateway()
                .await
                .map_err(|e| Error::Gateway {
                    base: base.clone(),
                    message: describe(&e, &token),
                })?
                .url,
        ),
        None => None,
    };
    let shared = Arc::new(handler::Shared::new(
        app,
        config.discord.guild_id.map(GuildId::new),
        options.clone(),
    ));
    let mut client = ClientBuilder::new_with_http(http, INTENTS)
        .event_handler_arc(Arc::new(handler::Handler::new(shared.clone())))
        .await
        .map_err(|e| Error::Client(describe(&e, &token)))?;
    let ws_url = client.ws_url.lock().await.clone();
    if let (Some(base), Some(expected)) = (&config.discord.api_base, &expected) {
        if &ws_url != expected {
            return Err(Error::GatewayNotFromBase {
                base: base.clone(),
                url: ws_url,
            });
        }
    }
    tracing::info!(gateway = %ws_url, "connecting to the Discord gateway");

    let http = client.http.clone();
    let shard_manager = client.shard_manager.clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let driver = tokio::spawn(driver::drive(shared.clone(), http.clone(), stop_rx));
    let reloader = tokio::spawn(reload_on_hangup(shared.app.clone()));
    let shards = config.discord.shards;
    let turn = identify_turn(&http, shards, &token).await;
    let mut gateway = tokio::spawn(async move {
        match shards {
            Shards::Auto => client.start_autosharded().await,
            Shards::Range { total, first, last } => {
                if !turn.is_zero() {
                    tracing::info!(
                        "waiting {} s for the processes of the shards before {first} to identify",
                        turn.as_secs()
                    );
                    tokio::time::sleep(turn).await;
                }
                // serenity's range is inclusive of its end: `first..last` starts shards first to last.
                client.start_shard_range(first..last, total).await
            }
        }
    });

    let ended = tokio::select! {
        r = &mut gateway => Some(r),
        () = shutdown => None,
    };
    reloader.abort();
    if let Some(r) = ended {
        let _ = stop_tx.send(true);
        let _ = driver.await;
        return match r {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Client(describe(&e, &token))),
            Err(e) => Err(Error::Client(format!("the gateway task failed: {e}"))),
        };
    }

    tracing::info!("shutting down: no new interactions; ending running games");
    shared.stop_accepting();
    shared.wait_idle(options.shutdown_grace).await;
    let _ = stop_tx.send(true);
    let _ = driver.await;
    driver::shutdown_posts(&shared, &http).await;
    // Games ended and their last points written: checkpoint and close the store.
    shared.app.keeper().close().await;
    shard_manager.shutdown_all().await;
    match tokio::time::timeout(options.shutdown_grace, &mut gateway).await {
        Ok(Ok(Err(e))) => tracing::warn!(
            "the gateway ended with an error while closing: {}",
            describe(&e, &token)
        ),
        Ok(_) => {}
        Err(_) => {
            tracing::warn!("the gateway did not close in time; leaving anyway");
            gateway.abort();
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// How long a process running `shards` waits before it identifies ([`Shards::identify_wait`], with Discord's
/// `max_concurrency`). Says in the log when Discord recommends more shards than the total, or allows no more
/// sessions for now.
async fn identify_turn(http: &Http, shards: Shards, token: &Token) -> Duration {
    let Shards::Range { total, .. } = shards else {
        return Duration::ZERO;
    };
    match http.get_bot_gateway().await {
        Ok(g) => {
            if g.shards > total {
                tracing::warn!(
                    "Discord recommends {} shards and this bot runs {total}: raise [discord] shards total (Discord \
                     refuses a shard with too many servers)",
                    g.shards
                );
            }
            let limit = g.session_start_limit;
            if limit.remaining == 0 {
                tracing::warn!(
                    "Discord allows no more gateway sessions for {} s (session_start_limit): the shards connect once \
                     it does",
                    limit.reset_after / 1000
                );
            }
            shards.identify_wait(limit.max_concurrency)
        }
        Err(e) => {
            tracing::warn!(
                "could not ask Discord how to start the shards (GET /gateway/bot): {}",
                describe(&e, token)
            );
            Duration::ZERO
        }
    }
}

/// The people who own the bot on Discord (the application's owner, or its team's members), for owner-only commands.
/// Empty, with a warning logged, when Discord cannot be asked.
pub async fn owners(config: &Config) -> Vec<u64> {
    let Ok((http, token)) = http_for(config) else {
        return Vec::new();
    };
    match http.get_current_application_info().await {
        Ok(info) => {
            let mut ids: Vec<u64> = info.owner.iter().map(|u| u.id.get()).collect();
            if let Some(team) = &info.team {
                ids.push(team.owner_user_id.get());
                ids.extend(team.members.iter().map(|m| m.user.id.get()));
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        Err(e) => {
            tracing::warn!(
                "could not look up the application's owners ({}); owner-only commands will refuse everyone",
                describe(&e, &token)
            );
            Vec::new()
        }
    }
}

/// Register the commands on demand (`rendezvous register`): in `guild`, else globally. Returns one line per
/// registered command, as Discord confirmed it.
pub async fn register(config: &Config, guild: Option<u64>) -> Result<Vec<String>, Error> {
    let (http, token) = http_for(config)?;
    let info = http
        .get_current_application_info()
        .await
        .map_err(|e| Error::Http(format!("looking up the application: {}", describe(&e, &token))))?;
    http.set_application_id(info.id);
    let registered = register::register(&http, guild.map(GuildId::new))
        .await
        .map_err(|e| Error::Http(format!("registering commands: {}", describe(&e, &token))))?;
    let place = match guild {
        Some(g) => format!("in server {g}"),
        None => "globally".to_string(),
    };
    let mut lines = vec![format!(
        "registered {} commands {place} for application {} ({})",
        registered.len(),
        info.name,
        ApplicationId::get(info.id)
    )];
    lines.extend(registered.iter().map(describe_command));
    Ok(lines)
}

fn describe_command(c: &Command) -> String {
    let opts: Vec<String> = c
        .options
        .iter()
        .map(|o| {
            if o.required {
                o.name.clone()
            } else {
                format!("[{}]", o.name)
            }
        })
        .collect();
    let admin = if c.default_member_permissions.is_some_and(|p| !p.is_empty()) {
        " (admins only by default)"
    } else {
        ""
    };
    format!("  /{} {} — {}{admin}", c.name, opts.join(" "), c.description).replace("  —", " —")
}

/// Reload the knowledge base on each SIGHUP, as the owner's `/reload` does: on any problem the old data keeps
/// serving and the problems are logged. The handler is installed at the call, before the returned future first runs,
/// so a SIGHUP soon after start-up never falls to the default action (ending the process).
fn reload_on_hangup(app: Arc<App>) -> impl Future<Output = ()> + Send {
    #[cfg(unix)]
    let hangups = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(h) => Some(h),
        Err(e) => {
            tracing::warn!("cannot listen for SIGHUP ({e}); use /reload to reload the data");
            None
        }
    };
    async move {
        #[cfg(unix)]
        if let Some(mut hangups) = hangups {
            while hangups.recv().await.is_some() {
                let app = app.clone();
                match handler::guarded_async(async move { app.reload().await }).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(problems)) => tracing::warn!("SIGHUP: the data was not reloaded:\n{problems}"),
                    Err(panic) => tracing::error!("SIGHUP: reloading panicked: {panic}"),
                }
            }
        }
        #[cfg(not(unix))]
        let _ = app;
    }
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed at the call (inside a tokio runtime), so a
/// signal that comes while the bot is still starting is kept for the shutdown, not fatal.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let listen = |kind: SignalKind, name: &str| match signal(kind) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!("cannot listen for {name} ({e})");
                None
            }
        };
        let mut int = listen(SignalKind::interrupt(), "SIGINT");
        let mut term = listen(SignalKind::terminate(), "SIGTERM");
        async move {
            let int = async {
                match int.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = int => {}
                _ = term => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_urls_are_hidden() {
        let e = "error sending request for url (http://127.0.0.1:9/api/v10/interactions/123/aW50ZXJhY3Rpb24/callback)";
        assert_eq!(
            scrub(e),
            "error sending request for url (http://127.0.0.1:9/api/v10/interactions/123/<token>/callback)"
        );
        assert_eq!(scrub("x /webhooks/9/tok?wait=true"), "x /webhooks/9/<token>?wait=true");
        assert_eq!(scrub("/webhooks/9"), "/webhooks/9");
        assert_eq!(scrub("no urls"), "no urls");
    }

    #[test]
    fn errors_say_what_to_do() {
        assert!(Error::NoToken.to_string().contains("rendezvous console"));
        let e = Error::GatewayNotFromBase {
            base: "http://127.0.0.1:1".into(),
            url: "wss://gateway.discord.gg".into(),
        };
        assert!(e.to_string().contains("refusing"));
    }
}
