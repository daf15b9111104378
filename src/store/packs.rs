//! Teachers' question packs, per server: each one's file as uploaded, found by its folded name. Saving, replacing
//! and removing are one transaction each, so a pack is there whole or not at all.
//!
//! One set of statements for SQLite and PostgreSQL (numbered placeholders, `ON CONFLICT`, `RETURNING`, integers
//! read as 64-bit, counts cast to BIGINT).

use super::{count, sid, uid, Fail, Store, StoreError};
use sqlx::Row;

/// A pack as uploaded and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPack {
    pub guild_id: u64,
    /// The name as the uploader wrote it.
    pub name: String,
    /// The name folded: one pack per server has it.
    pub name_key: String,
    /// `toml` or `csv`.
    pub format: String,
    pub filename: String,
    /// The file as text, without a byte-order mark.
    pub body: String,
    pub questions: u32,
    pub uploaded_by: u64,
    pub uploaded_at_ms: i64,
}

/// A pack as listed: everything but its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackInfo {
    pub id: i64,
    pub name: String,
    pub format: String,
    pub filename: String,
    pub questions: u32,
    /// `None` once the uploader asked to be forgotten.
    pub uploaded_by: Option<u64>,
    pub uploaded_at_ms: i64,
}

/// A pack with its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackRow {
    pub info: PackInfo,
    pub guild_id: u64,
    pub body: String,
}

/// What [`Store::save_pack`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Stored under a new name (its id).
    Added(i64),
    /// The pack of that name was replaced (its id, kept).
    Replaced(i64),
    /// A pack has that name and `replace` was not asked: nothing was stored.
    Taken(PackInfo),
    /// The server already keeps the most packs it may: nothing was stored.
    Full(usize),
}

const INFO: &str = "id, name, format, filename, questions, uploaded_by, uploaded_at";

fn info(r: &sqlx::any::AnyRow) -> PackInfo {
    PackInfo {
        id: r.get("id"),
        name: r.get("name"),
        format: r.get("format"),
        filename: r.get("filename"),
        questions: count(r.get("questions")),
        uploaded_by: r.get::<Option<i64>, _>("uploaded_by").map(uid),
        uploaded_at_ms: r.get("uploaded_at"),
    }
}

impl Store {
    /// Store a pack under its name: a new one (unless the server keeps `max` packs already), or, with `replace`,
    /// in place of the one of that name. One transaction: nothing is half-stored.
    pub async fn save_pack(&self, p: NewPack, replace: bool, max: usize) -> Result<Saved, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let existing = sqlx::query(&format!(
                "SELECT {INFO} FROM packs WHERE guild_id = $1 AND name_key = $2"
            ))
            .bind(sid(p.guild_id))
            .bind(&p.name_key)
            .fetch_optional(&mut *tx)
            .await?;
            if let (Some(row), false) = (&existing, replace) {
                return Ok(Saved::Taken(info(row)));
            }
            if existing.is_none() {
                let kept: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM packs WHERE guild_id = $1")
                    .bind(sid(p.guild_id))
                    .fetch_one(&mut *tx)
                    .await?
                    .get(0);
                if kept as usize >= max {
                    return Ok(Saved::Full(kept as usize));
                }
            }
            let id: i64 = sqlx::query(
                "INSERT INTO packs (guild_id, name, name_key, format, filename, body, questions, uploaded_by, \
                                    uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (guild_id, name_key) DO UPDATE SET name = excluded.name, format = excluded.format, \
                   filename = excluded.filename, body = excluded.body, questions = excluded.questions, \
                   uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at \
                 RETURNING id",
            )
            .bind(sid(p.guild_id))
            .bind(&p.name)
            .bind(&p.name_key)
            .bind(&p.format)
            .bind(&p.filename)
            .bind(&p.body)
            .bind(i64::from(p.questions))
            .bind(sid(p.uploaded_by))
            .bind(p.uploaded_at_ms)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
            tx.commit().await?;
            Ok(if existing.is_some() {
                Saved::Replaced(id)
            } else {
                Saved::Added(id)
            })
        })
        .await
    }

    /// A server's packs, by name.
    pub async fn packs(&self, guild_id: u64) -> Result<Vec<PackInfo>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!(
                "SELECT {INFO} FROM packs WHERE guild_id = $1 ORDER BY name_key"
            ))
            .bind(sid(guild_id))
            .fetch_all(&self.read)
            .await?;
            Ok(rows.iter().map(info).collect())
        })
        .await
    }

    /// A server's pack by its folded name, with its file.
    pub async fn pack(&self, guild_id: u64, name_key: &str) -> Result<Option<PackRow>, StoreError> {
        self.run(async {
            let row = sqlx::query(&format!(
                "SELECT {INFO}, guild_id, body FROM packs WHERE guild_id = $1 AND name_key = $2"
            ))
            .bind(sid(guild_id))
            .bind(name_key)
            .fetch_optional(&self.read)
            .await?;
            Ok(row.map(|r| PackRow {
                info: info(&r),
                guild_id: uid(r.get("guild_id")),
                body: r.get("body"),
            }))
        })
        .await
    }

    /// Remove a server's pack by id. Returns its name, or `None` when it was not there (removed meanwhile).
    pub async fn remove_pack(&self, guild_id: u64, id: i64) -> Result<Option<String>, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let name: Option<String> = sqlx::query("DELETE FROM packs WHERE guild_id = $1 AND id = $2 RETURNING name")
                .bind(sid(guild_id))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.get(0));
            tx.commit().await?;
            Ok::<_, Fail>(name)
        })
        .await
    }
}
