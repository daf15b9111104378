-- A server's own settings, and its question of the day: the schedule, each day's post with the question as it was
-- asked, each player's answer to it, and each player's streak of days answered right.

-- What `/settings` keeps: defaults for `/trivia start` (NULL: the bot's own), where games may run and who may start
-- them (comma-separated ids; empty: anywhere, anyone), and a cooldown between games in one channel.
CREATE TABLE guild_settings (
    guild_id    INTEGER PRIMARY KEY,
    rounds      INTEGER,
    timer_s     INTEGER,
    category    TEXT,
    difficulty  TEXT,
    channels    TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '',
    cooldown_s  INTEGER NOT NULL DEFAULT 0,
    updated_by  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One question of the day per server: where, and at what local time in which IANA time zone.
CREATE TABLE daily_schedules (
    guild_id    INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL,
    local_time  TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    set_by      INTEGER NOT NULL,
    set_at      INTEGER NOT NULL
);

-- Each day's post (the day is the local date of the slot, YYYY-MM-DD). Claimed by inserting the row before posting,
-- so a restart or a second process never posts one day twice. `question` is the question as asked (JSON);
-- `revealed` once the next post (or /daily off) gave its answer.
CREATE TABLE daily_posts (
    guild_id     INTEGER NOT NULL,
    day          TEXT NOT NULL,
    channel_id   INTEGER NOT NULL,
    posted_at    INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    question     TEXT NOT NULL,
    revealed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
);

-- One answer per player per day.
CREATE TABLE daily_answers (
    guild_id   INTEGER NOT NULL,
    day        TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    user_name  TEXT NOT NULL,
    choice     INTEGER NOT NULL,
    correct    INTEGER NOT NULL,
    at_ms      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, day, user_id)
);
CREATE INDEX daily_answers_by_user ON daily_answers (user_id);

-- Days answered right in a row (counted over the days that had a question), updated at each reveal.
CREATE TABLE daily_streaks (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    user_name  TEXT NOT NULL,
    streak     INTEGER NOT NULL,
    best       INTEGER NOT NULL,
    last_day   TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX daily_streaks_by_user ON daily_streaks (user_id);
