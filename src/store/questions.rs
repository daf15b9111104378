//! Questions in the store: how often each was answered right (across servers, counted with each answer, so play can
//! decide its difficulty), what each server asked recently (so its games avoid repeats), and what players reported.

use super::{count, sid, Store, StoreError, Tx};
use sqlx::Row;

/// Why a player reported a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportReason {
    Wrong,
    Unclear,
    Typo,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::Wrong,
        ReportReason::Unclear,
        ReportReason::Typo,
        ReportReason::Other,
    ];

    /// As stored and shown: `wrong`, `unclear`, `typo`, `other`.
    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Wrong => "wrong",
            ReportReason::Unclear => "unclear",
            ReportReason::Typo => "typo",
            ReportReason::Other => "other",
        }
    }

    pub fn from_label(s: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.label() == s)
    }
}

/// A question as a server's reports list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub question_id: String,
    /// The question as it was last asked on the server, if it was.
    pub question_text: Option<String>,
    pub reports: u32,
    /// How many gave each reason, most first.
    pub reasons: Vec<(String, u32)>,
}

/// What a server's play says about the questions (see `trivia::question::History`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionHistory {
    /// Questions reported `blocked_at` times or more on the server.
    pub blocked: Vec<String>,
    /// The server's most recently asked questions, newest first.
    pub recent: Vec<String>,
    /// (question, answers, right) for questions answered at least `calibrate_after` times, on any server.
    pub stats: Vec<(String, u32, u32)>,
}

/// Add one answer to a question's counts: called in the transaction that records the answer itself.
pub(super) async fn count_answer(tx: &mut Tx, question_id: &str, right: bool) -> Result<(), sqlx::Error> {
    if question_id.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO question_stats (question_id, answers, correct) VALUES ($1, 1, $2) \
         ON CONFLICT (question_id) DO UPDATE SET answers = question_stats.answers + 1, \
           correct = question_stats.correct + excluded.correct",
    )
    .bind(question_id)
    .bind(i64::from(right))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Remember that `guild` was asked these questions (id, text) at `at_ms`.
    pub async fn record_asked(&self, guild_id: u64, asked: &[(String, String)], at_ms: i64) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            for (id, text) in asked {
                sqlx::query(
                    "INSERT INTO asked_questions (guild_id, question_id, question_text, at_ms) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (guild_id, question_id) DO UPDATE SET question_text = excluded.question_text, \
                     at_ms = excluded.at_ms",
                )
                .bind(sid(guild_id))
                .bind(id)
                .bind(text)
                .bind(at_ms)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// What `guild`'s play says about the questions: those reported `blocked_at` times or more, its `recent` last
    /// asked, and the counts of every question answered `calibrate_after` times or more.
    pub async fn question_history(
        &self,
        guild_id: u64,
        recent: u32,
        blocked_at: u32,
        calibrate_after: u32,
    ) -> Result<QuestionHistory, StoreError> {
        self.run(async {
            let blocked = sqlx::query(
                "SELECT question_id FROM question_reports WHERE guild_id = $1 GROUP BY question_id \
                 HAVING COUNT(*) >= $2",
            )
            .bind(sid(guild_id))
            .bind(i64::from(blocked_at))
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
            let recent = sqlx::query(
                "SELECT question_id FROM asked_questions WHERE guild_id = $1 ORDER BY at_ms DESC, question_id LIMIT $2",
            )
            .bind(sid(guild_id))
            .bind(i64::from(recent))
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
            let stats = sqlx::query("SELECT question_id, answers, correct FROM question_stats WHERE answers >= $1")
                .bind(i64::from(calibrate_after))
                .fetch_all(&self.read)
                .await?
                .iter()
                .map(|r| (r.get::<String, _>(0), count(r.get(1)), count(r.get(2))))
                .collect();
            Ok(QuestionHistory { blocked, recent, stats })
        })
        .await
    }

    /// The counts of one question: (answers, right).
    pub async fn question_stats(&self, question_id: &str) -> Result<(u32, u32), StoreError> {
        self.run(async {
            let row = sqlx::query("SELECT answers, correct FROM question_stats WHERE question_id = $1")
                .bind(question_id)
                .fetch_optional(&self.read)
                .await?;
            Ok(row.map_or((0, 0), |r| (count(r.get(0)), count(r.get(1)))))
        })
        .await
    }

    /// A player's report on a question; `false` when they had already reported it on this server (one each).
    pub async fn report_question(
        &self,
        guild_id: u64,
        question_id: &str,
        user_id: u64,
        reason: ReportReason,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let added = sqlx::query(
                "INSERT INTO question_reports (guild_id, question_id, user_id, reason, at_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (guild_id, question_id, user_id) DO NOTHING",
            )
            .bind(sid(guild_id))
            .bind(question_id)
            .bind(sid(user_id))
            .bind(reason.label())
            .bind(at_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            tx.commit().await?;
            Ok(added)
        })
        .await
    }

    /// The reported questions of a server, most reported first.
    pub async fn reports(&self, guild_id: u64) -> Result<Vec<ReportRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT r.question_id, r.reason, COUNT(*) AS n, \
                   (SELECT a.question_text FROM asked_questions a WHERE a.guild_id = r.guild_id \
                      AND a.question_id = r.question_id) AS question_text \
                 FROM question_reports r WHERE r.guild_id = $1 GROUP BY r.guild_id, r.question_id, r.reason \
                 ORDER BY r.question_id, n DESC, r.reason",
            )
            .bind(sid(guild_id))
            .fetch_all(&self.read)
            .await?;
            let mut out: Vec<ReportRow> = Vec::new();
            for r in rows {
                let id: String = r.get("question_id");
                let (reason, n): (String, u32) = (r.get("reason"), count(r.get("n")));
                match out.last_mut() {
                    Some(last) if last.question_id == id => {
                        last.reports += n;
                        last.reasons.push((reason, n));
                    }
                    _ => out.push(ReportRow {
                        question_id: id,
                        question_text: r.get("question_text"),
                        reports: n,
                        reasons: vec![(reason, n)],
                    }),
                }
            }
            out.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.question_id.cmp(&b.question_id)));
            Ok(out)
        })
        .await
    }

    /// Clear a question's reports on a server; returns how many there were.
    pub async fn clear_reports(&self, guild_id: u64, question_id: &str) -> Result<u64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let n = sqlx::query("DELETE FROM question_reports WHERE guild_id = $1 AND question_id = $2")
                .bind(sid(guild_id))
                .bind(question_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(n)
        })
        .await
    }
}
