-- Trivia scores: games, every answer as it was scored, and a running total per guild and player.
--
-- Discord ids and seeds are u64; SQLite integers are i64, so they are stored as the same 64 bits (`as i64`).
-- `correct` rather than `right`: RIGHT is an SQL keyword.

CREATE TABLE games (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    started_by    INTEGER,          -- NULL once that user asked to be forgotten
    started_at_ms INTEGER NOT NULL,
    ended_at_ms   INTEGER,          -- NULL while the game runs (or if the bot stopped mid-game)
    rounds        INTEGER NOT NULL,
    category      TEXT,
    difficulty    TEXT,
    seed          INTEGER NOT NULL
);
CREATE INDEX games_by_guild ON games (guild_id, started_at_ms);

-- Who played a finished game, and who won it (written by finish_game).
CREATE TABLE game_players (
    game_id INTEGER NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    won     INTEGER NOT NULL CHECK (won IN (0, 1)),
    PRIMARY KEY (game_id, user_id)
) WITHOUT ROWID;
CREATE INDEX game_players_by_user ON game_players (user_id);

-- One row per scored answer: the history behind "this month" boards. A player answers a round once.
CREATE TABLE answers (
    game_id  INTEGER NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    round    INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points   INTEGER NOT NULL,
    streak   INTEGER NOT NULL,
    at_ms    INTEGER NOT NULL,
    PRIMARY KEY (game_id, round, user_id)
) WITHOUT ROWID;
CREATE INDEX answers_by_guild_time ON answers (guild_id, at_ms);
CREATE INDEX answers_by_user ON answers (user_id);

-- Running totals per guild and player: the all-time board reads only this table.
CREATE TABLE players (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    user_name     TEXT NOT NULL,
    points        INTEGER NOT NULL DEFAULT 0,
    answered      INTEGER NOT NULL DEFAULT 0,
    correct       INTEGER NOT NULL DEFAULT 0,
    games         INTEGER NOT NULL DEFAULT 0,
    wins          INTEGER NOT NULL DEFAULT 0,
    best_streak   INTEGER NOT NULL DEFAULT 0,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
CREATE INDEX players_by_user ON players (user_id);
