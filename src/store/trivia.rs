//! Trivia in the store: games as they start and end, each answer's points as it is earned, leaderboards and stats,
//! a server's reset and a player's right to be forgotten.

use super::{count, flag, sid, uid, Fail, Store, StoreError};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};
use std::collections::BTreeSet;

/// A trivia game as it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGame {
    pub guild_id: u64,
    pub channel_id: u64,
    pub started_by: u64,
    pub started_at_ms: i64,
    pub rounds: u32,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    pub seed: u64,
}

/// One scored answer in a game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRecord {
    pub game_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    /// The display name now; the player's row keeps the latest one.
    pub user_name: String,
    pub round: u32,
    pub right: bool,
    pub points: i64,
    /// The player's streak after this answer.
    pub streak: u32,
    pub at_ms: i64,
    /// The question answered (its stable id), for its answer counts; empty when unknown.
    pub question_id: String,
}

/// One line of a leaderboard, or one player's stats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderRow {
    /// 1-based position on the board asked for (the all-time board for [`Store::player_stats`]).
    pub rank: u32,
    pub user_id: u64,
    pub user_name: String,
    pub points: i64,
    pub right: u32,
    pub answered: u32,
    /// Finished games played.
    pub games: u32,
    pub wins: u32,
    pub best_streak: u32,
}

/// One game in a guild's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameRow {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// `None` once the starter asked to be forgotten.
    pub started_by: Option<u64>,
    pub started_at_ms: i64,
    /// `None` while the game runs, or if the bot stopped before it ended.
    pub ended_at_ms: Option<i64>,
    pub rounds: u32,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    pub seed: u64,
    /// How many played it (known once it ended).
    pub players: u32,
    /// Who won it, by id.
    pub winners: Vec<u64>,
}

impl Store {
    /// Records a game as it starts; returns its id.
    pub async fn start_game(&self, g: NewGame) -> Result<i64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let id = sqlx::query(
                "INSERT INTO games (guild_id, channel_id, started_by, started_at_ms, rounds, category, difficulty, \
                 seed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(sid(g.guild_id))
            .bind(sid(g.channel_id))
            .bind(sid(g.started_by))
            .bind(g.started_at_ms)
            .bind(i64::from(g.rounds))
            .bind(g.category)
            .bind(g.difficulty)
            .bind(sid(g.seed))
            .fetch_one(&mut *tx)
            .await?
            .get::<i64, _>(0);
            tx.commit().await?;
            Ok(id)
        })
        .await
    }

    /// Records one answer and adds it to the player's totals in the guild, in one transaction. Returns `false`
    /// (and changes nothing) when this player's answer to this round of this game was already recorded.
    pub async fn record_answer(&self, a: AnswerRecord) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let guild = sqlx::query("SELECT guild_id FROM games WHERE id = $1")
                .bind(a.game_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| uid(r.get(0)));
            match guild {
                None => return Err(self.missing("trivia game", a.game_id)),
                Some(g) if g != a.guild_id => {
                    return Err(Fail::Store(StoreError::Other(format!(
                        "trivia game {} belongs to guild {g}, not to guild {}",
                        a.game_id, a.guild_id
                    ))))
                }
                Some(_) => {}
            }
            let inserted = sqlx::query(
                "INSERT INTO answers (game_id, round, user_id, guild_id, correct, points, streak, at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (game_id, round, user_id) DO NOTHING",
            )
            .bind(a.game_id)
            .bind(i64::from(a.round))
            .bind(sid(a.user_id))
            .bind(sid(a.guild_id))
            .bind(flag(a.right))
            .bind(a.points)
            .bind(i64::from(a.streak))
            .bind(a.at_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !inserted {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO players (guild_id, user_id, user_name, points, answered, correct, best_streak, \
                 updated_at_ms) VALUES ($1, $2, $3, $4, 1, $5, $6, $7) \
                 ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                   user_name = excluded.user_name, \
                   points = players.points + excluded.points, \
                   answered = players.answered + 1, \
                   correct = players.correct + excluded.correct, \
                   best_streak = CASE WHEN excluded.best_streak > players.best_streak \
                     THEN excluded.best_streak ELSE players.best_streak END, \
                   updated_at_ms = CASE WHEN excluded.updated_at_ms > players.updated_at_ms \
                     THEN excluded.updated_at_ms ELSE players.updated_at_ms END",
            )
            .bind(sid(a.guild_id))
            .bind(sid(a.user_id))
            .bind(&a.user_name)
            .bind(a.points)
            .bind(flag(a.right))
            .bind(i64::from(a.streak))
            .bind(a.at_ms)
            .execute(&mut *tx)
            .await?;
            super::questions::count_answer(&mut tx, &a.question_id, a.right).await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// Marks a game ended and counts it: a game for each player, a win for each winner (a winner missing from
    /// `players` counts as one). Players who never answered have no row in the guild, so only the game's history
    /// names them. Returns `false` and changes nothing if the game had already ended: the ending is one conditional
    /// update, so of two processes ending one game, one counts it.
    pub async fn finish_game(
        &self,
        game_id: i64,
        ended_at_ms: i64,
        players: &[u64],
        winners: &[u64],
    ) -> Result<bool, StoreError> {
        let winners: BTreeSet<u64> = winners.iter().copied().collect();
        let everyone: BTreeSet<u64> = players.iter().copied().chain(winners.iter().copied()).collect();
        self.run(async {
            let mut tx = self.begin().await?;
            let ended = sqlx::query(
                "UPDATE games SET ended_at_ms = $1 WHERE id = $2 AND ended_at_ms IS NULL RETURNING guild_id",
            )
            .bind(ended_at_ms)
            .bind(game_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = ended else {
                let exists = sqlx::query("SELECT 1 FROM games WHERE id = $1")
                    .bind(game_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_some();
                tx.rollback().await?;
                return if exists {
                    Ok(false)
                } else {
                    Err(self.missing("trivia game", game_id))
                };
            };
            let guild: i64 = row.get(0);
            for &user in &everyone {
                let won = flag(winners.contains(&user));
                sqlx::query(
                    "INSERT INTO game_players (game_id, user_id, won) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(game_id)
                .bind(sid(user))
                .bind(won)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE players SET games = games + 1, wins = wins + $1 WHERE guild_id = $2 AND user_id = $3",
                )
                .bind(won)
                .bind(guild)
                .bind(sid(user))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// A guild's board, best first (points, then right answers, then user id). All time from the running totals;
    /// with `since_ms`, from the answers given since then (games and wins: games that ended since then).
    pub async fn leaderboard(
        &self,
        guild_id: u64,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        self.run(async {
            let rows = match since_ms {
                None => {
                    sqlx::query(&format!("{ALL_TIME} ORDER BY rank LIMIT $2"))
                        .bind(sid(guild_id))
                        .bind(i64::from(limit))
                        .fetch_all(&self.read)
                        .await?
                }
                Some(since) => {
                    sqlx::query(SINCE)
                        .bind(sid(guild_id))
                        .bind(since)
                        .bind(i64::from(limit))
                        .fetch_all(&self.read)
                        .await?
                }
            };
            Ok(rows.iter().map(leader_row).collect())
        })
        .await
    }

    /// Where a player stands on a guild's board (all time, or since `since_ms`): their row, their rank with ties
    /// shared (1 + how many scored more: more points, or as many with more right answers), and the player just
    /// ahead of them. `None` when they have no points on that board.
    pub async fn standing(
        &self,
        guild_id: u64,
        user_id: u64,
        since_ms: Option<i64>,
    ) -> Result<Option<(LeaderRow, u32, Option<LeaderRow>)>, StoreError> {
        self.run(async {
            // The board, and the number of its first free parameter.
            let (board, next) = match since_ms {
                None => (ALL_TIME, 2),
                Some(_) => (since_board!(), 3),
            };
            let me_sql = format!("SELECT * FROM ({board}) AS board WHERE user_id = ${next}");
            let me = on_board(&me_sql, guild_id, since_ms)
                .bind(sid(user_id))
                .fetch_optional(&self.read)
                .await?;
            let Some(me) = me.as_ref().map(leader_row) else {
                return Ok(None);
            };
            let above = format!(
                "FROM ({board}) AS board WHERE points > ${next} OR (points = ${next} AND correct > ${})",
                next + 1
            );
            let count_sql = format!("SELECT COUNT(*) {above}");
            let higher: i64 = on_board(&count_sql, guild_id, since_ms)
                .bind(me.points)
                .bind(i64::from(me.right))
                .fetch_one(&self.read)
                .await?
                .get(0);
            // The nearest one above: the last listed above.
            let ahead_sql = format!("SELECT * {above} ORDER BY rank DESC LIMIT 1");
            let ahead = on_board(&ahead_sql, guild_id, since_ms)
                .bind(me.points)
                .bind(i64::from(me.right))
                .fetch_optional(&self.read)
                .await?
                .as_ref()
                .map(leader_row);
            Ok(Some((me, count(higher) + 1, ahead)))
        })
        .await
    }

    /// A player's all-time totals in a guild, with their rank on the all-time board; `None` if they never answered.
    pub async fn player_stats(&self, guild_id: u64, user_id: u64) -> Result<Option<LeaderRow>, StoreError> {
        self.run(async {
            let row = sqlx::query(&format!("SELECT * FROM ({ALL_TIME}) AS board WHERE user_id = $2"))
                .bind(sid(guild_id))
                .bind(sid(user_id))
                .fetch_optional(&self.read)
                .await?;
            Ok(row.as_ref().map(leader_row))
        })
        .await
    }

    /// Erases a guild's trivia scores: player totals, answers, and the history of ended games. A game still running
    /// keeps going (its later answers count from zero). Events are not touched. Returns the rows removed.
    pub async fn reset_guild(&self, guild_id: u64) -> Result<u64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let mut removed = 0;
            for sql in [
                "DELETE FROM answers WHERE guild_id = $1",
                "DELETE FROM game_players WHERE game_id IN \
                 (SELECT id FROM games WHERE guild_id = $1 AND ended_at_ms IS NOT NULL)",
                "DELETE FROM games WHERE guild_id = $1 AND ended_at_ms IS NOT NULL",
                "DELETE FROM players WHERE guild_id = $1",
                "DELETE FROM daily_streaks WHERE guild_id = $1",
                "DELETE FROM daily_answers WHERE guild_id = $1 AND day IN \
                 (SELECT day FROM daily_posts WHERE guild_id = $1 AND revealed = 1)",
            ] {
                removed += sqlx::query(sql)
                    .bind(sid(guild_id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(removed)
        })
        .await
    }

    /// Deletes everything kept about a person, in every guild: scores, answers, game and event participation,
    /// event answers and hosting; games they started stay in their guild's history with no starter. Returns the
    /// rows deleted or cleared.
    pub async fn forget_user(&self, user_id: u64) -> Result<u64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let mut removed = 0;
            for sql in [
                "DELETE FROM answers WHERE user_id = $1",
                "DELETE FROM game_players WHERE user_id = $1",
                "DELETE FROM players WHERE user_id = $1",
                "UPDATE games SET started_by = NULL WHERE started_by = $1",
                "DELETE FROM event_answers WHERE user_id = $1",
                "DELETE FROM event_players WHERE user_id = $1",
                "DELETE FROM event_hosts WHERE user_id = $1",
                "DELETE FROM question_reports WHERE user_id = $1",
                "DELETE FROM daily_answers WHERE user_id = $1",
                "DELETE FROM daily_streaks WHERE user_id = $1",
                "UPDATE packs SET uploaded_by = NULL WHERE uploaded_by = $1",
            ] {
                removed += sqlx::query(sql)
                    .bind(sid(user_id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(removed)
        })
        .await
    }

    /// A guild's games, the most recently started first.
    pub async fn recent_games(&self, guild_id: u64, limit: u32) -> Result<Vec<GameRow>, StoreError> {
        self.run(async {
            // One row per game and winner (one with no winner for a game nobody won), games in order.
            let rows = sqlx::query(
                "SELECT g.id, g.guild_id, g.channel_id, g.started_by, g.started_at_ms, g.ended_at_ms, g.rounds, \
                        g.category, g.difficulty, g.seed, \
                        (SELECT COUNT(*) FROM game_players p WHERE p.game_id = g.id) AS players, \
                        w.user_id AS winner \
                 FROM (SELECT * FROM games WHERE guild_id = $1 ORDER BY started_at_ms DESC, id DESC LIMIT $2) AS g \
                 LEFT JOIN game_players w ON w.game_id = g.id AND w.won = 1 \
                 ORDER BY g.started_at_ms DESC, g.id DESC, w.user_id",
            )
            .bind(sid(guild_id))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
            let mut games: Vec<GameRow> = Vec::new();
            for r in &rows {
                let id: i64 = r.get("id");
                let winner = r.get::<Option<i64>, _>("winner").map(uid);
                match games.last_mut() {
                    Some(g) if g.id == id => g.winners.extend(winner),
                    _ => games.push(GameRow {
                        id,
                        guild_id: uid(r.get("guild_id")),
                        channel_id: uid(r.get("channel_id")),
                        started_by: r.get::<Option<i64>, _>("started_by").map(uid),
                        started_at_ms: r.get("started_at_ms"),
                        ended_at_ms: r.get("ended_at_ms"),
                        rounds: count(r.get("rounds")),
                        category: r.get("category"),
                        difficulty: r.get("difficulty"),
                        seed: uid(r.get("seed")),
                        players: count(r.get("players")),
                        winners: winner.into_iter().collect(),
                    }),
                }
            }
            // Ascending as unsigned ids (the database sorted them as signed).
            for g in &mut games {
                g.winners.sort_unstable();
            }
            Ok(games)
        })
        .await
    }
}

/// The all-time board of guild `$1`, ranked. Callers add the ordering and limit, or filter on the rank.
const ALL_TIME: &str = "SELECT ROW_NUMBER() OVER (ORDER BY points DESC, correct DESC, user_id) AS rank, user_id, \
     user_name, points, correct, answered, games, wins, best_streak FROM players WHERE guild_id = $1";

/// The board of guild `$1` since `$2` (ms), ranked, unordered (callers add the ordering and limit). Sums are cast
/// back to `BIGINT` (PostgreSQL sums integers as `NUMERIC`).
macro_rules! since_board {
    () => {
        "\
    WITH period AS ( \
      SELECT user_id, CAST(SUM(points) AS BIGINT) AS points, CAST(SUM(correct) AS BIGINT) AS correct, \
             COUNT(*) AS answered, MAX(streak) AS best_streak \
      FROM answers WHERE guild_id = $1 AND at_ms >= $2 GROUP BY user_id \
    ), played AS ( \
      SELECT p.user_id, COUNT(*) AS games, CAST(SUM(p.won) AS BIGINT) AS wins \
      FROM game_players p JOIN games g ON g.id = p.game_id \
      WHERE g.guild_id = $1 AND g.ended_at_ms >= $2 GROUP BY p.user_id \
    ) \
    SELECT ROW_NUMBER() OVER (ORDER BY a.points DESC, a.correct DESC, a.user_id) AS rank, a.user_id, \
           COALESCE(n.user_name, '') AS user_name, a.points, a.correct, a.answered, \
           COALESCE(g.games, 0) AS games, COALESCE(g.wins, 0) AS wins, a.best_streak \
    FROM period a \
    LEFT JOIN played g ON g.user_id = a.user_id \
    LEFT JOIN players n ON n.guild_id = $1 AND n.user_id = a.user_id"
    };
}
use since_board;

/// The board of guild `$1` since `$2` (ms), from the answers; at most `$3` rows.
const SINCE: &str = concat!(since_board!(), " ORDER BY rank LIMIT $3");

/// A query on a board: the guild bound as `$1`, and `since` as `$2` for a board since a time.
fn on_board(sql: &str, guild_id: u64, since_ms: Option<i64>) -> Query<'_, Any, AnyArguments<'_>> {
    let q = sqlx::query(sql).bind(sid(guild_id));
    match since_ms {
        Some(since) => q.bind(since),
        None => q,
    }
}

fn leader_row(r: &AnyRow) -> LeaderRow {
    LeaderRow {
        rank: count(r.get("rank")),
        user_id: uid(r.get("user_id")),
        user_name: r.get("user_name"),
        points: r.get("points"),
        right: count(r.get("correct")),
        answered: count(r.get("answered")),
        games: count(r.get("games")),
        wins: count(r.get("wins")),
        best_streak: count(r.get("best_streak")),
    }
}
