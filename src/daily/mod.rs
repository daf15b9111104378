//! A question of the day: each server may have one, posted in a channel at a local time in its time zone
//! (`/daily set channel time timezone`). Each post first reveals the day before's question (the answer, how the
//! server answered, the explanation and its source, the streaks), then asks the new one with buttons that stay
//! open until the next post. A streak counts the days in a row a player answered right.
//!
//! Why it is built this way:
//! - The store is the truth: a day's post is claimed by inserting its row before it is made, so a restart (or a
//!   second process) never posts a day twice; the schedules, posts, answers and streaks all live there, and this
//!   engine keeps only each server's next due time, read back at start ([`Daily::load`]).
//! - Time comes in (`now`): due posts are made by `tick`, and a post missed while the bot was down is made at the
//!   first tick after start (only the newest missed day: a server is never flooded).
//! - The day's question is chosen from a seed made of the server and the day: the same on every run.
//!
//! # Layout
//! - `schedule.rs`: local times in IANA zones, day by day (daylight-saving changes included).
//! - `render.rs`: the posts and the replies.

pub mod render;
pub mod schedule;

use crate::context::{Caller, Ctx, Scores};
use crate::kb::KnowledgeBase;
use crate::reply::{Outcome, Post, Reply};
use crate::store::{DailyAnswer, DailyPost, DailySchedule, Store};
use crate::trivia::question::{pick_questions_with, Filter};
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::SeedableRng;
use schedule::{day_key, parse_day, Slot};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// The `/daily` commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DailyCmd {
    /// `/daily set channel time timezone` (Manage Server).
    Set {
        channel: u64,
        time: String,
        timezone: String,
    },
    /// `/daily off` (Manage Server).
    Off,
    /// `/daily show`: anyone.
    Show,
}

/// A day's question as it was asked (kept with the post, so the reveal shows what was asked even if the data
/// changed since).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub id: String,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub source: String,
}

/// One server's schedule and where it stands.
#[derive(Clone, Debug)]
struct Server {
    channel: u64,
    slot: Slot,
    /// The next post: its day and instant.
    next: (Date, i64),
}

impl Server {
    /// From a stored schedule and the day last posted: the next post is the day after that, or the first slot
    /// after the schedule was set.
    fn new(s: &DailySchedule, last_day: Option<Date>) -> Option<Server> {
        let slot = Slot::new(&s.local_time, &s.timezone).ok()?;
        let next = match last_day {
            Some(d) => slot.after(d),
            None => slot.after(slot.latest(s.set_at).0),
        };
        Some(Server {
            channel: s.channel_id,
            slot,
            next,
        })
    }
}

/// The questions of the day of every server this process serves.
#[derive(Default)]
pub struct Daily {
    /// Read from the store at start; `None` until then.
    servers: Mutex<Option<HashMap<u64, Server>>>,
}

/// The seed of a server's question on a day.
fn seed_of(guild: u64, day: Date) -> u64 {
    let d = i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day());
    guild.rotate_left(17) ^ (d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Daily {
    pub fn new() -> Daily {
        Daily::default()
    }

    fn lock(&self) -> MutexGuard<'_, Option<HashMap<u64, Server>>> {
        self.servers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Read the schedules back from the store (at start, and on first use). `owns` says which servers this
    /// process serves. Returns how many schedules it runs.
    pub async fn load(&self, store: Scores<'_>, owns: &(dyn Fn(u64) -> bool + Sync)) -> usize {
        if let Some(map) = self.lock().as_ref() {
            return map.len();
        }
        let Ok(store) = store else {
            return 0;
        };
        let schedules = match store.daily_schedules().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the questions of the day; trying again later");
                return 0;
            }
        };
        let mut map = HashMap::new();
        for (s, last_day) in schedules.iter().filter(|(s, _)| owns(s.guild_id)) {
            let last = last_day.as_deref().and_then(parse_day);
            match Server::new(s, last) {
                Some(server) => {
                    map.insert(s.guild_id, server);
                }
                None => tracing::warn!(guild = s.guild_id, "a question-of-the-day schedule could not be read"),
            }
        }
        let n = map.len();
        *self.lock() = Some(map);
        n
    }

    /// When the next post is due, if any.
    pub fn next_deadline(&self) -> Option<i64> {
        self.lock().as_ref()?.values().map(|s| s.next.1).min()
    }

    /// Make the posts that are due: for each server, the newest day whose time has come and that was not posted.
    pub async fn tick(&self, now: i64, kb: &KnowledgeBase, store: Scores<'_>) -> Vec<Post> {
        // Without the store nothing is due yet: the posts wait for it (the next tick tries again).
        let Ok(store) = store else {
            return Vec::new();
        };
        let due: Vec<(u64, u64, Date)> = match self.lock().as_mut() {
            Some(map) => map
                .iter_mut()
                .filter(|(_, s)| s.next.1 <= now)
                .map(|(g, s)| {
                    let day = s.slot.latest(now).0;
                    s.next = s.slot.after(day);
                    (*g, s.channel, day)
                })
                .collect(),
            None => return Vec::new(),
        };
        let mut posts = Vec::new();
        for (guild, channel, day) in due {
            match self.post_day(guild, channel, day, now, kb, store).await {
                Ok(p) => posts.extend(p),
                Err(e) => {
                    // Tried again in a minute (the claim makes sure it is posted once).
                    tracing::warn!(error = %e, guild, "a question of the day could not be posted; trying again");
                    if let Some(s) = self.lock().as_mut().and_then(|m| m.get_mut(&guild)) {
                        s.next = (day, now + 60_000);
                    }
                }
            }
        }
        posts
    }

    /// Post `day`'s question in `channel` (after revealing the one before), unless that day was already posted.
    async fn post_day(
        &self,
        guild: u64,
        channel: u64,
        day: Date,
        now: i64,
        kb: &KnowledgeBase,
        store: &Store,
    ) -> Result<Vec<Post>, crate::store::StoreError> {
        let Some(asked) = choose(guild, day, kb, Ok(store)).await else {
            tracing::warn!(guild, "no question of the day could be chosen");
            return Ok(Vec::new());
        };
        let post = DailyPost {
            guild_id: guild,
            day: day_key(day),
            channel_id: channel,
            posted_at: now,
            question_id: asked.id.clone(),
            question: serde_json::to_string(&asked).unwrap_or_default(),
            revealed: false,
        };
        if !store.claim_daily_post(&post).await? {
            return Ok(Vec::new()); // posted already (before a restart, or by another process)
        }
        let mut posts = Vec::new();
        if let Some(prev) = store.daily_post_before(guild, &post.day).await? {
            if let Some(reveal) = reveal(store, &prev).await? {
                posts.push(Post {
                    channel: prev.channel_id,
                    reply: reveal,
                });
            }
        }
        let slot = self.lock().as_ref().and_then(|m| m.get(&guild).map(|s| s.slot.clone()));
        posts.push(Post {
            channel,
            reply: render::question(&asked, day, slot.as_ref()),
        });
        let asked_list = [(asked.id.clone(), asked.text.clone())];
        if let Err(e) = store.record_asked(guild, &asked_list, now).await {
            tracing::warn!(error = %e, "could not record the question of the day as asked");
        }
        Ok(posts)
    }

    /// A `/daily` command.
    pub async fn command(&self, cmd: DailyCmd, cx: &Ctx<'_>) -> Outcome {
        let Some(guild) = cx.caller.guild else {
            return Reply::error("The question of the day belongs to a server: use `/daily` in one.").into();
        };
        let store = match cx.store {
            Ok(s) => s,
            Err(why) => {
                return Reply::error(format!(
                    "The question of the day needs the score database, which is unavailable right now: {why}."
                ))
                .into()
            }
        };
        self.load(cx.store, &|_| true).await;
        match cmd {
            DailyCmd::Show => self.show(guild, cx, store).await.into(),
            DailyCmd::Set {
                channel,
                time,
                timezone,
            } => self.set(guild, channel, &time, &timezone, cx, store).await.into(),
            DailyCmd::Off => self.off(guild, store).await,
        }
    }

    async fn set(&self, guild: u64, channel: u64, time: &str, zone: &str, cx: &Ctx<'_>, store: &Store) -> Reply {
        let slot = match Slot::new(time, zone) {
            Ok(s) => s,
            Err(e) => return Reply::error(e.0),
        };
        let schedule = DailySchedule {
            guild_id: guild,
            channel_id: channel,
            local_time: slot.time.strftime("%H:%M").to_string(),
            timezone: slot.tz_name.clone(),
            set_by: cx.caller.user.id,
            set_at: cx.now,
        };
        let last = match store.latest_daily_post(guild).await {
            Ok(p) => p.and_then(|p| parse_day(&p.day)),
            Err(e) => return Reply::error(format!("I could not set it: {e}. Nothing was changed; try again.")),
        };
        if let Err(e) = store.set_daily(&schedule).await {
            return Reply::error(format!("I could not set it: {e}. Nothing was changed; try again."));
        }
        let Some(mut server) = Server::new(&schedule, last) else {
            return Reply::error("That schedule could not be read back; try again.");
        };
        // A new time takes effect from the next slot after now (a day already posted is not posted again).
        if server.next.1 <= cx.now {
            server.next = slot.after(slot.latest(cx.now).0);
        }
        let next = server.next;
        self.lock().get_or_insert_with(HashMap::new).insert(guild, server);
        render::set_reply(channel, &slot, next)
    }

    async fn off(&self, guild: u64, store: &Store) -> Outcome {
        match store.remove_daily(guild).await {
            Ok(false) => return Reply::error("This server has no question of the day to turn off.").into(),
            Err(e) => return Reply::error(format!("I could not turn it off: {e}. Try again.")).into(),
            Ok(true) => {}
        }
        if let Some(map) = self.lock().as_mut() {
            map.remove(&guild);
        }
        // The open question is revealed now rather than left waiting for a post that will not come.
        let mut posts = Vec::new();
        if let Ok(Some(open)) = store.latest_daily_post(guild).await {
            if let Ok(Some(reply)) = reveal(store, &open).await {
                posts.push(Post {
                    channel: open.channel_id,
                    reply,
                });
            }
        }
        Outcome {
            reply: Reply::note(if posts.is_empty() {
                "The question of the day is off. `/daily set` starts it again."
            } else {
                "The question of the day is off; the last one's answer is posted now. `/daily set` starts it again."
            }),
            posts,
        }
    }

    async fn show(&self, guild: u64, cx: &Ctx<'_>, store: &Store) -> Reply {
        let server = self.lock().as_ref().and_then(|m| m.get(&guild).cloned());
        let mine = store.daily_streak(guild, cx.caller.user.id).await.ok().flatten();
        let top = store.daily_streaks(guild, None, 5).await.unwrap_or_default();
        let open = store
            .latest_daily_post(guild)
            .await
            .ok()
            .flatten()
            .filter(|p| !p.revealed);
        render::show(
            server.as_ref().map(|s| (s.channel, &s.slot, s.next)),
            mine.as_ref(),
            &top,
            open.as_ref(),
        )
    }

    /// A press on a question-of-the-day answer button.
    pub async fn press(&self, day: &str, choice: usize, caller: &Caller, now: i64, store: Scores<'_>) -> Reply {
        let Some(guild) = caller.guild else {
            return crate::ids::stale_button();
        };
        let store = match store {
            Ok(s) => s,
            Err(why) => {
                return Reply::error(format!(
                    "I cannot take answers right now: the score database is unavailable ({why}). Try again later."
                ))
            }
        };
        let post = match store.daily_post(guild, day).await {
            Ok(Some(p)) => p,
            Ok(None) => return crate::ids::stale_button(),
            Err(e) => return Reply::error(format!("I could not take your answer: {e}. Try again.")),
        };
        if post.revealed {
            return Reply::note("This question of the day is closed: its answer was posted with the next one.");
        }
        let Ok(asked) = serde_json::from_str::<Asked>(&post.question) else {
            return crate::ids::stale_button();
        };
        let Some(option) = asked.options.get(choice) else {
            return crate::ids::stale_button();
        };
        let answer = DailyAnswer {
            user_id: caller.user.id,
            user_name: caller.user.name.clone(),
            choice: choice as u32,
            correct: choice == asked.correct,
            at_ms: now,
        };
        match store.record_daily_answer(guild, day, &answer).await {
            Ok(true) => {}
            Ok(false) => return Reply::note("You already answered this question of the day: one answer each."),
            Err(e) => return Reply::error(format!("I could not save your answer: {e}. Try again.")),
        }
        self.load(Ok(store), &|_| true).await;
        let slot = self
            .lock()
            .as_ref()
            .and_then(|m| m.get(&guild).map(|s| (s.slot.clone(), s.next)));
        let streak = store.daily_streak(guild, caller.user.id).await.ok().flatten();
        render::locked_in(choice, option, slot.as_ref(), streak.as_ref())
    }
}

/// Reveal a post (once): mark it, update the streaks, and say what the answer was and how the server answered.
async fn reveal(store: &Store, post: &DailyPost) -> Result<Option<Reply>, crate::store::StoreError> {
    let previous = store.daily_post_before(post.guild_id, &post.day).await?;
    if !store
        .reveal_daily(post.guild_id, &post.day, previous.as_ref().map(|p| p.day.as_str()))
        .await?
    {
        return Ok(None);
    }
    let Ok(asked) = serde_json::from_str::<Asked>(&post.question) else {
        return Ok(None);
    };
    let answers = store.daily_answers(post.guild_id, &post.day).await?;
    let streaks = store.daily_streaks(post.guild_id, None, 10).await?;
    let right: Vec<&DailyAnswer> = answers.iter().filter(|a| a.correct).collect();
    let streaks: Vec<_> = streaks
        .into_iter()
        .filter(|s| s.last_day == post.day && right.iter().any(|a| a.user_id == s.user_id))
        .collect();
    Ok(Some(render::reveal(&asked, parse_day(&post.day), &answers, &streaks)))
}

/// The day's question for a server: a multiple-choice question (buttons stay open all day; typed answers would
/// need `/answer`), chosen from the server's seed for the day, avoiding its recent and reported questions.
async fn choose(guild: u64, day: Date, kb: &KnowledgeBase, store: Scores<'_>) -> Option<Asked> {
    let past = crate::trivia::sessions::history(guild, store, &Mutex::new(HashMap::new())).await;
    let mut rng = StdRng::seed_from_u64(seed_of(guild, day));
    pick_questions_with(kb, &Filter::default(), 12, &mut rng, &past)
        .into_iter()
        .find(|q| !q.is_typed())
        .map(|q| Asked {
            id: q.id,
            text: q.text,
            options: q.options,
            correct: q.correct,
            explanation: q.explanation,
            source: q.source,
        })
}
