/**
 * The schema, as ordered steps. Step N brings the database from `user_version` N-1 to N; steps are
 * never edited once released, only appended.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: subscriptions and the outbox.
  `
  CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL,
    chat_id       TEXT    NOT NULL,
    thread_id     TEXT,
    schedule      TEXT,                 -- normalised 5-field cron; NULL = "off" (no timed posts)
    timezone      TEXT    NOT NULL,
    mode          TEXT    NOT NULL CHECK (mode IN ('full', 'compact')),
    language      TEXT    NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    last_slot_at  INTEGER NOT NULL,     -- the latest scheduled run handled (fired, caught up or not owed)
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_by    TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (platform, chat_id)
  );
  CREATE INDEX subscriptions_schedule ON subscriptions (schedule, timezone) WHERE paused = 0;

  CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    thread_id       TEXT,
    issue_id        TEXT    NOT NULL,
    part_index      INTEGER NOT NULL,
    part_count      INTEGER NOT NULL,
    payload         TEXT    NOT NULL,   -- the rendered OutboundMessage as JSON
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    message_id      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    UNIQUE (platform, chat_id, issue_id, part_index)
  );
  CREATE INDEX deliveries_unsent ON deliveries (platform, chat_id, issue_id, part_index)
    WHERE status IN ('pending', 'sending');
  CREATE INDEX deliveries_issue ON deliveries (issue_id);
  `,
  // 2: "which chats are due" and "when is the next one due" as range scans of a covering index, not
  // a GROUP BY over every unsent row (that cost ~80 ms per call with 30,000 parts queued).
  `
  CREATE INDEX deliveries_due ON deliveries (platform, next_attempt_at, chat_id) WHERE status IN ('pending', 'sending');
  `,
];
