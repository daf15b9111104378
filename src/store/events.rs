//! Community events in the store: the event's row (configuration and state as JSON the caller owns), its hosts and
//! players, and each answer as it is given.

use super::{count, flag, sid, uid, Store, StoreError, Tx};
use sqlx::Row;

/// A community event as a host creates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub guild_id: u64,
    pub channel_id: u64,
    pub name: String,
    pub hosts: Vec<u64>,
    pub seed: u64,
    /// The caller's configuration, as JSON text.
    pub config_json: String,
    pub created_at_ms: i64,
}

/// A player who joined an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventPlayer {
    pub user_id: u64,
    pub user_name: String,
    pub team: Option<String>,
}

/// An event as stored: enough to list it, resume it after a restart, or export it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub name: String,
    /// Host ids, ascending.
    pub hosts: Vec<u64>,
    pub seed: u64,
    pub config_json: String,
    /// The caller's state, as last saved (`null` before the first save).
    pub state_json: String,
    pub round: u32,
    pub created_at_ms: i64,
    /// `None` while the event is open.
    pub ended_at_ms: Option<i64>,
    /// Players in the order they joined.
    pub players: Vec<EventPlayer>,
}

/// One player's answer to one round of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventAnswer {
    pub event_id: i64,
    pub round: u32,
    pub question_id: String,
    pub user_id: u64,
    /// The choice or the typed text, as given.
    pub answer: String,
    pub right: bool,
    /// Time taken to answer.
    pub time_ms: u32,
    pub points: i64,
}

/// An event answer with the player's name and team, for the CSV export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventAnswerRow {
    pub round: u32,
    pub question_id: String,
    pub user_id: u64,
    /// Empty if the player never joined (or asked to be forgotten since).
    pub user_name: String,
    pub team: Option<String>,
    pub answer: String,
    pub right: bool,
    pub time_ms: u32,
    pub points: i64,
}

impl Store {
    pub async fn create_event(&self, e: NewEvent) -> Result<i64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let id = sqlx::query(
                "INSERT INTO events (guild_id, channel_id, name, seed, config, created_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(sid(e.guild_id))
            .bind(sid(e.channel_id))
            .bind(&e.name)
            .bind(sid(e.seed))
            .bind(&e.config_json)
            .bind(e.created_at_ms)
            .fetch_one(&mut *tx)
            .await?
            .get::<i64, _>(0);
            for &host in &e.hosts {
                insert_host(&mut tx, id, host).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
        .await
    }

    /// Adds a co-host (no change if they already host it).
    pub async fn add_event_host(&self, event_id: i64, user_id: u64) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            insert_host(&mut tx, event_id, user_id).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Saves the event's current round and the caller's state (JSON text), replacing the previous ones.
    pub async fn save_event_state(&self, event_id: i64, round: u32, state_json: &str) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let changed = sqlx::query("UPDATE events SET current_round = $1, state = $2 WHERE id = $3")
                .bind(i64::from(round))
                .bind(state_json)
                .bind(event_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(self.missing("event", event_id));
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Adds a player to an event, or updates their name and team if they already joined.
    pub async fn add_event_player(
        &self,
        event_id: i64,
        user_id: u64,
        user_name: &str,
        team: Option<&str>,
    ) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            sqlx::query(
                "INSERT INTO event_players (event_id, user_id, user_name, team) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (event_id, user_id) DO UPDATE SET user_name = excluded.user_name, team = excluded.team",
            )
            .bind(event_id)
            .bind(sid(user_id))
            .bind(user_name)
            .bind(team)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Records a player's answer to a round. Returns `false` (and changes nothing) if they already answered it.
    pub async fn record_event_answer(&self, a: EventAnswer) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, a.event_id).await?;
            let inserted = sqlx::query(
                "INSERT INTO event_answers (event_id, round, user_id, question_id, answer, correct, time_ms, points) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id, round, user_id) DO NOTHING",
            )
            .bind(a.event_id)
            .bind(i64::from(a.round))
            .bind(sid(a.user_id))
            .bind(&a.question_id)
            .bind(&a.answer)
            .bind(flag(a.right))
            .bind(i64::from(a.time_ms))
            .bind(a.points)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                super::questions::count_answer(&mut tx, &a.question_id, a.right).await?;
            }
            tx.commit().await?;
            Ok(inserted)
        })
        .await
    }

    /// Marks an event ended. Returns `false` and changes nothing if it had already ended.
    pub async fn end_event(&self, event_id: i64, ended_at_ms: i64) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            let changed = sqlx::query("UPDATE events SET ended_at_ms = $1 WHERE id = $2 AND ended_at_ms IS NULL")
                .bind(ended_at_ms)
                .bind(event_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(changed == 1)
        })
        .await
    }

    /// One event with its hosts and players.
    pub async fn load_event(&self, event_id: i64) -> Result<Option<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!("{EVENT_COLUMNS} WHERE id = $1"))
                .bind(event_id)
                .fetch_all(&self.read)
                .await?;
            Ok(self.events_with_people(rows).await?.pop())
        })
        .await
    }

    /// Every event not yet ended, in every guild, oldest first: what to resume after a restart.
    pub async fn open_events(&self) -> Result<Vec<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!("{EVENT_COLUMNS} WHERE ended_at_ms IS NULL ORDER BY id"))
                .fetch_all(&self.read)
                .await?;
            self.events_with_people(rows).await
        })
        .await
    }

    /// A guild's events, the most recent first.
    pub async fn list_events(&self, guild_id: u64, limit: u32) -> Result<Vec<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!(
                "{EVENT_COLUMNS} WHERE guild_id = $1 ORDER BY created_at_ms DESC, id DESC LIMIT $2"
            ))
            .bind(sid(guild_id))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
            self.events_with_people(rows).await
        })
        .await
    }

    /// Every answer given in an event, by round then user id, with names and teams: the rows of the CSV export.
    pub async fn event_answers(&self, event_id: i64) -> Result<Vec<EventAnswerRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT a.round, a.question_id, a.user_id, COALESCE(p.user_name, '') AS user_name, p.team, a.answer, \
                        a.correct, a.time_ms, a.points \
                 FROM event_answers a \
                 LEFT JOIN event_players p ON p.event_id = a.event_id AND p.user_id = a.user_id \
                 WHERE a.event_id = $1 ORDER BY a.round, a.user_id",
            )
            .bind(event_id)
            .fetch_all(&self.read)
            .await?;
            Ok(rows
                .iter()
                .map(|r| EventAnswerRow {
                    round: count(r.get("round")),
                    question_id: r.get("question_id"),
                    user_id: uid(r.get("user_id")),
                    user_name: r.get("user_name"),
                    team: r.get("team"),
                    answer: r.get("answer"),
                    right: r.get::<i64, _>("correct") != 0,
                    time_ms: count(r.get("time_ms")),
                    points: r.get("points"),
                })
                .collect())
        })
        .await
    }
}

const EVENT_COLUMNS: &str = "SELECT id, guild_id, channel_id, name, seed, config, state, current_round, \
     created_at_ms, ended_at_ms FROM events";

async fn insert_host(tx: &mut Tx, event_id: i64, user_id: u64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_hosts (event_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(event_id)
        .bind(sid(user_id))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
