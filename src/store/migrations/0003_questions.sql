-- What play teaches about questions: how often each is answered right (across servers), what each server asked
-- recently, and what players reported as wrong, unclear or mistyped.

-- Every answer to a question, counted once (with the answer's own row, in the same transaction).
CREATE TABLE question_stats (
    question_id TEXT PRIMARY KEY,
    answers     INTEGER NOT NULL DEFAULT 0,
    correct     INTEGER NOT NULL DEFAULT 0
);

-- The questions a server was asked, the last time each was asked, with its text (for the reports' list).
CREATE TABLE asked_questions (
    guild_id      INTEGER NOT NULL,
    question_id   TEXT NOT NULL,
    question_text TEXT NOT NULL,
    at_ms         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);
CREATE INDEX asked_by_time ON asked_questions (guild_id, at_ms);

-- One report per player per question, per server; three keep the question out of that server's games until
-- someone clears them.
CREATE TABLE question_reports (
    guild_id    INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_id, user_id)
);
CREATE INDEX reports_by_user ON question_reports (user_id);
