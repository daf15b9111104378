-- Community events (hosted quizzes): the event, its hosts and players, and every answer, kept for export.
-- `config` and `state` are JSON text owned by the caller; the store never looks inside.

CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    name          TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    config        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'null',
    current_round INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    ended_at_ms   INTEGER           -- NULL while the event is open (resumed after a restart)
);
CREATE INDEX events_by_guild ON events (guild_id, created_at_ms);
CREATE INDEX events_open ON events (id) WHERE ended_at_ms IS NULL;

CREATE TABLE event_hosts (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
) WITHOUT ROWID;
CREATE INDEX event_hosts_by_user ON event_hosts (user_id);

CREATE TABLE event_players (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    team      TEXT,
    PRIMARY KEY (event_id, user_id)
);  -- a rowid table: rowid order is join order
CREATE INDEX event_players_by_user ON event_players (user_id);

-- One row per player per round: what they answered, whether it was right, how long it took, what it scored.
CREATE TABLE event_answers (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    round       INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    answer      TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    time_ms     INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    PRIMARY KEY (event_id, round, user_id)
) WITHOUT ROWID;
CREATE INDEX event_answers_by_user ON event_answers (user_id);
