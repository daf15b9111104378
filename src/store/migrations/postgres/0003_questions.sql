-- What play teaches about questions, on PostgreSQL: the same tables as SQLite's 0003_questions.sql.

CREATE TABLE question_stats (
    question_id TEXT PRIMARY KEY,
    answers     BIGINT NOT NULL DEFAULT 0,
    correct     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE asked_questions (
    guild_id      BIGINT NOT NULL,
    question_id   TEXT NOT NULL,
    question_text TEXT NOT NULL,
    at_ms         BIGINT NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);
CREATE INDEX asked_by_time ON asked_questions (guild_id, at_ms);

CREATE TABLE question_reports (
    guild_id    BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    user_id     BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (guild_id, question_id, user_id)
);
CREATE INDEX reports_by_user ON question_reports (user_id);
