-- Teachers' question packs: the file as uploaded (UTF-8 text, without a byte-order mark), kept per server under a
-- name; `name_key` is the name folded (case, accents, punctuation), so one server has one pack per name.
-- `uploaded_by` is NULL once the uploader asked to be forgotten.
CREATE TABLE packs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    format       TEXT NOT NULL,
    filename     TEXT NOT NULL,
    body         TEXT NOT NULL,
    questions    INTEGER NOT NULL,
    uploaded_by  INTEGER,
    uploaded_at  INTEGER NOT NULL,
    UNIQUE (guild_id, name_key)
);
CREATE INDEX packs_by_uploader ON packs (uploaded_by);
