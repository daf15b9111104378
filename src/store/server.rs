//! A server's own life in the store: its settings (`/settings`), and its question of the day (`/daily`): the
//! schedule, each day's post (claimed before it is made, so no day is posted twice), the answers, and the streaks.

use super::{count, sid, uid, Store, StoreError};
use sqlx::Row;

/// A server's settings as kept: `None` and empty lists mean "the bot's default" (any channel, anyone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerSettings {
    pub rounds: Option<u32>,
    pub timer_s: Option<u32>,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    /// Channels where games may run; empty: any.
    pub channels: Vec<u64>,
    /// Roles whose members may start games; empty: everyone.
    pub roles: Vec<u64>,
    /// Seconds between the end of a game and the next start in the same channel.
    pub cooldown_s: u32,
}

/// A server's question-of-the-day schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailySchedule {
    pub guild_id: u64,
    pub channel_id: u64,
    /// `HH:MM`, 24-hour, local to `timezone`.
    pub local_time: String,
    /// An IANA time zone name.
    pub timezone: String,
    pub set_by: u64,
    pub set_at: i64,
}

/// One day's question of the day as posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyPost {
    pub guild_id: u64,
    /// The local date of its slot, `YYYY-MM-DD`.
    pub day: String,
    pub channel_id: u64,
    pub posted_at: i64,
    pub question_id: String,
    /// The question as asked, serialized by the daily engine.
    pub question: String,
    pub revealed: bool,
}

/// One answer to a day's question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyAnswer {
    pub user_id: u64,
    pub user_name: String,
    pub choice: u32,
    pub correct: bool,
    pub at_ms: i64,
}

/// A player's streak of days answered right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyStreak {
    pub user_id: u64,
    pub user_name: String,
    pub streak: u32,
    pub best: u32,
    /// The last day they answered right.
    pub last_day: String,
}

fn ids_text(ids: &[u64]) -> String {
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

fn text_ids(text: &str) -> Vec<u64> {
    text.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn post_row(r: &sqlx::any::AnyRow) -> DailyPost {
    DailyPost {
        guild_id: uid(r.get("guild_id")),
        day: r.get("day"),
        channel_id: uid(r.get("channel_id")),
        posted_at: r.get("posted_at"),
        question_id: r.get("question_id"),
        question: r.get("question"),
        revealed: r.get::<i64, _>("revealed") != 0,
    }
}

fn schedule_row(r: &sqlx::any::AnyRow) -> DailySchedule {
    DailySchedule {
        guild_id: uid(r.get("guild_id")),
        channel_id: uid(r.get("channel_id")),
        local_time: r.get("local_time"),
        timezone: r.get("timezone"),
        set_by: uid(r.get("set_by")),
        set_at: r.get("set_at"),
    }
}

impl Store {
    /// A server's settings; the defaults when it never set any.
    pub async fn settings(&self, guild_id: u64) -> Result<ServerSettings, StoreError> {
        self.run(async {
            let row = sqlx::query(
                "SELECT rounds, timer_s, category, difficulty, channels, roles, cooldown_s \
                 FROM guild_settings WHERE guild_id = $1",
            )
            .bind(sid(guild_id))
            .fetch_optional(&self.read)
            .await?;
            Ok(row.map_or_else(ServerSettings::default, |r| ServerSettings {
                rounds: r.get::<Option<i64>, _>("rounds").map(count),
                timer_s: r.get::<Option<i64>, _>("timer_s").map(count),
                category: r.get("category"),
                difficulty: r.get("difficulty"),
                channels: text_ids(&r.get::<String, _>("channels")),
                roles: text_ids(&r.get::<String, _>("roles")),
                cooldown_s: count(r.get("cooldown_s")),
            }))
        })
        .await
    }

    /// Keeps a server's settings, replacing what it had.
    pub async fn save_settings(
        &self,
        guild_id: u64,
        s: &ServerSettings,
        by: u64,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        self.run(async {
            sqlx::query(
                "INSERT INTO guild_settings \
                   (guild_id, rounds, timer_s, category, difficulty, channels, roles, cooldown_s, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (guild_id) DO UPDATE SET rounds = excluded.rounds, timer_s = excluded.timer_s, \
                   category = excluded.category, difficulty = excluded.difficulty, channels = excluded.channels, \
                   roles = excluded.roles, cooldown_s = excluded.cooldown_s, updated_by = excluded.updated_by, \
                   updated_at = excluded.updated_at",
            )
            .bind(sid(guild_id))
            .bind(s.rounds.map(i64::from))
            .bind(s.timer_s.map(i64::from))
            .bind(s.category.clone())
            .bind(s.difficulty.clone())
            .bind(ids_text(&s.channels))
            .bind(ids_text(&s.roles))
            .bind(i64::from(s.cooldown_s))
            .bind(sid(by))
            .bind(at_ms)
            .execute(&self.write)
            .await?;
            Ok(())
        })
        .await
    }

    /// Every server's schedule, with the day of its newest post (`None` before its first): what the question of the
    /// day reads back at start, in one query however many servers have one.
    pub async fn daily_schedules(&self) -> Result<Vec<(DailySchedule, Option<String>)>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT s.*, (SELECT MAX(p.day) FROM daily_posts p WHERE p.guild_id = s.guild_id) AS last_day \
                 FROM daily_schedules s ORDER BY s.guild_id",
            )
            .fetch_all(&self.read)
            .await?;
            Ok(rows.iter().map(|r| (schedule_row(r), r.get("last_day"))).collect())
        })
        .await
    }

    /// Sets (or replaces) a server's schedule.
    pub async fn set_daily(&self, s: &DailySchedule) -> Result<(), StoreError> {
        self.run(async {
            sqlx::query(
                "INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, set_by, set_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, \
                   local_time = excluded.local_time, timezone = excluded.timezone, set_by = excluded.set_by, \
                   set_at = excluded.set_at",
            )
            .bind(sid(s.guild_id))
            .bind(sid(s.channel_id))
            .bind(&s.local_time)
            .bind(&s.timezone)
            .bind(sid(s.set_by))
            .bind(s.set_at)
            .execute(&self.write)
            .await?;
            Ok(())
        })
        .await
    }

    /// Removes a server's schedule; whether it had one.
    pub async fn remove_daily(&self, guild_id: u64) -> Result<bool, StoreError> {
        self.run(async {
            let n = sqlx::query("DELETE FROM daily_schedules WHERE guild_id = $1")
                .bind(sid(guild_id))
                .execute(&self.write)
                .await?
                .rows_affected();
            Ok(n > 0)
        })
        .await
    }

    /// Claims a day's post: `true` when this call made the row (so the caller posts it), `false` when the day was
    /// already posted (by an earlier run, or another process).
    pub async fn claim_daily_post(&self, p: &DailyPost) -> Result<bool, StoreError> {
        self.run(async {
            let n = sqlx::query(
                "INSERT INTO daily_posts (guild_id, day, channel_id, posted_at, question_id, question, revealed) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (guild_id, day) DO NOTHING",
            )
            .bind(sid(p.guild_id))
            .bind(&p.day)
            .bind(sid(p.channel_id))
            .bind(p.posted_at)
            .bind(&p.question_id)
            .bind(&p.question)
            .execute(&self.write)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
        .await
    }

    /// A server's newest post (the open question, or the last one revealed).
    pub async fn latest_daily_post(&self, guild_id: u64) -> Result<Option<DailyPost>, StoreError> {
        self.one_daily_post(guild_id, "", None).await
    }

    /// The post made before `day`, if any.
    pub async fn daily_post_before(&self, guild_id: u64, day: &str) -> Result<Option<DailyPost>, StoreError> {
        self.one_daily_post(guild_id, "AND day < $2", Some(day)).await
    }

    /// One day's post.
    pub async fn daily_post(&self, guild_id: u64, day: &str) -> Result<Option<DailyPost>, StoreError> {
        self.one_daily_post(guild_id, "AND day = $2", Some(day)).await
    }

    /// A server's newest post that meets `condition` (on `day`, its `$2`).
    async fn one_daily_post(
        &self,
        guild_id: u64,
        condition: &str,
        day: Option<&str>,
    ) -> Result<Option<DailyPost>, StoreError> {
        let sql = format!("SELECT * FROM daily_posts WHERE guild_id = $1 {condition} ORDER BY day DESC LIMIT 1");
        self.run(async {
            let mut query = sqlx::query(&sql).bind(sid(guild_id));
            if let Some(day) = day {
                query = query.bind(day);
            }
            let row = query.fetch_optional(&self.read).await?;
            Ok(row.as_ref().map(post_row))
        })
        .await
    }

    /// Records a player's answer to a day's question; `false` when they had already answered it.
    pub async fn record_daily_answer(&self, guild_id: u64, day: &str, a: &DailyAnswer) -> Result<bool, StoreError> {
        self.run(async {
            let n = sqlx::query(
                "INSERT INTO daily_answers (guild_id, day, user_id, user_name, choice, correct, at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (guild_id, day, user_id) DO NOTHING",
            )
            .bind(sid(guild_id))
            .bind(day)
            .bind(sid(a.user_id))
            .bind(&a.user_name)
            .bind(i64::from(a.choice))
            .bind(i64::from(a.correct))
            .bind(a.at_ms)
            .execute(&self.write)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
        .await
    }

    /// A day's answers, in the order given.
    pub async fn daily_answers(&self, guild_id: u64, day: &str) -> Result<Vec<DailyAnswer>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT user_id, user_name, choice, correct, at_ms FROM daily_answers \
                 WHERE guild_id = $1 AND day = $2 ORDER BY at_ms, user_id",
            )
            .bind(sid(guild_id))
            .bind(day)
            .fetch_all(&self.read)
            .await?;
            Ok(rows
                .iter()
                .map(|r| DailyAnswer {
                    user_id: uid(r.get("user_id")),
                    user_name: r.get("user_name"),
                    choice: count(r.get("choice")),
                    correct: r.get::<i64, _>("correct") != 0,
                    at_ms: r.get("at_ms"),
                })
                .collect())
        })
        .await
    }

    /// Reveals a day: marks its post revealed and updates the streaks from its answers, once (a second call
    /// changes nothing and returns `false`). A player right on this day extends a streak that ended on `previous`
    /// (the day posted before it), or starts one at 1; everyone else's streak is broken. Returns whether this call
    /// did the reveal.
    pub async fn reveal_daily(&self, guild_id: u64, day: &str, previous: Option<&str>) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let n = sqlx::query("UPDATE daily_posts SET revealed = 1 WHERE guild_id = $1 AND day = $2 AND revealed = 0")
                .bind(sid(guild_id))
                .bind(day)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            // Right today: extend a streak that ended on the previous day, else start at 1.
            sqlx::query(
                "INSERT INTO daily_streaks (guild_id, user_id, user_name, streak, best, last_day) \
                 SELECT guild_id, user_id, user_name, 1, 1, day FROM daily_answers \
                 WHERE guild_id = $1 AND day = $2 AND correct = 1 \
                 ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                   user_name = excluded.user_name, \
                   streak = CASE WHEN daily_streaks.last_day = $3 THEN daily_streaks.streak + 1 ELSE 1 END, \
                   best = CASE WHEN daily_streaks.last_day = $3 AND daily_streaks.streak + 1 > daily_streaks.best \
                          THEN daily_streaks.streak + 1 WHEN daily_streaks.best < 1 THEN 1 ELSE daily_streaks.best END, \
                   last_day = excluded.last_day",
            )
            .bind(sid(guild_id))
            .bind(day)
            .bind(previous.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
            // Not right today: the streak is broken.
            sqlx::query("UPDATE daily_streaks SET streak = 0 WHERE guild_id = $1 AND last_day <> $2")
                .bind(sid(guild_id))
                .bind(day)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// A player's streak on a server, if they ever answered a day right.
    pub async fn daily_streak(&self, guild_id: u64, user_id: u64) -> Result<Option<DailyStreak>, StoreError> {
        Ok(self.daily_streaks(guild_id, Some(user_id), 1).await?.into_iter().next())
    }

    /// A server's running streaks, longest first (all players, or one).
    pub async fn daily_streaks(
        &self,
        guild_id: u64,
        user_id: Option<u64>,
        limit: u32,
    ) -> Result<Vec<DailyStreak>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT user_id, user_name, streak, best, last_day FROM daily_streaks \
                 WHERE guild_id = $1 AND ($2 = 0 OR user_id = $3) AND ($2 = 1 OR streak > 0) \
                 ORDER BY streak DESC, best DESC, user_id LIMIT $4",
            )
            .bind(sid(guild_id))
            .bind(i64::from(user_id.is_some()))
            .bind(sid(user_id.unwrap_or(0)))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
            Ok(rows
                .iter()
                .map(|r| DailyStreak {
                    user_id: uid(r.get("user_id")),
                    user_name: r.get("user_name"),
                    streak: count(r.get("streak")),
                    best: count(r.get("best")),
                    last_day: r.get("last_day"),
                })
                .collect())
        })
        .await
    }
}
