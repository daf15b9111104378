-- A server's own settings and its question of the day, on PostgreSQL: the same tables as SQLite's
-- 0004_server_life.sql.

CREATE TABLE guild_settings (
    guild_id    BIGINT PRIMARY KEY,
    rounds      BIGINT,
    timer_s     BIGINT,
    category    TEXT,
    difficulty  TEXT,
    channels    TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '',
    cooldown_s  BIGINT NOT NULL DEFAULT 0,
    updated_by  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE daily_schedules (
    guild_id    BIGINT PRIMARY KEY,
    channel_id  BIGINT NOT NULL,
    local_time  TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    set_by      BIGINT NOT NULL,
    set_at      BIGINT NOT NULL
);

CREATE TABLE daily_posts (
    guild_id     BIGINT NOT NULL,
    day          TEXT NOT NULL,
    channel_id   BIGINT NOT NULL,
    posted_at    BIGINT NOT NULL,
    question_id  TEXT NOT NULL,
    question     TEXT NOT NULL,
    revealed     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
);

CREATE TABLE daily_answers (
    guild_id   BIGINT NOT NULL,
    day        TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    user_name  TEXT NOT NULL,
    choice     BIGINT NOT NULL,
    correct    BIGINT NOT NULL,
    at_ms      BIGINT NOT NULL,
    PRIMARY KEY (guild_id, day, user_id)
);
CREATE INDEX daily_answers_by_user ON daily_answers (user_id);

CREATE TABLE daily_streaks (
    guild_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    user_name  TEXT NOT NULL,
    streak     BIGINT NOT NULL,
    best       BIGINT NOT NULL,
    last_day   TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX daily_streaks_by_user ON daily_streaks (user_id);
