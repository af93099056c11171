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
  // 3: a rendered message is stored once, however many chats get it. A broadcast renders one issue
  // once per (platform, mode, language), but every row carried its own copy (a 3-message issue is
  // ~14 KB of JSON: 10,000 chats wrote 140 MB, and each status update rewrote a row of up to 12 KB).
  // Rows now point at `payloads`, which are never changed once written.
  `
  CREATE TABLE payloads (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL UNIQUE           -- a rendered OutboundMessage as JSON
  );
  INSERT OR IGNORE INTO payloads (body) SELECT payload FROM deliveries ORDER BY id;

  CREATE TABLE deliveries_v3 (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    thread_id       TEXT,
    issue_id        TEXT    NOT NULL,
    part_index      INTEGER NOT NULL,
    part_count      INTEGER NOT NULL,
    payload_id      INTEGER NOT NULL REFERENCES payloads (id),
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
  INSERT INTO deliveries_v3 (id, platform, chat_id, thread_id, issue_id, part_index, part_count, payload_id, status, attempts,
      next_attempt_at, last_error, message_id, created_at, updated_at, sent_at)
    SELECT d.id, d.platform, d.chat_id, d.thread_id, d.issue_id, d.part_index, d.part_count, p.id, d.status, d.attempts,
      d.next_attempt_at, d.last_error, d.message_id, d.created_at, d.updated_at, d.sent_at
    FROM deliveries d JOIN payloads p ON p.body = d.payload;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v3 RENAME TO deliveries;
  CREATE INDEX deliveries_unsent ON deliveries (platform, chat_id, issue_id, part_index)
    WHERE status IN ('pending', 'sending');
  CREATE INDEX deliveries_issue ON deliveries (issue_id);
  CREATE INDEX deliveries_due ON deliveries (platform, next_attempt_at, chat_id) WHERE status IN ('pending', 'sending');
  `,
  // 4: readers' choices. A chat's section filter; its saved searches (follows); and which items each
  // chat was alerted to (issue id + item key), so an item alerts a chat once across several matching
  // searches, edits of the file and restarts. Alert rows sit in `deliveries` under the id with
  // negative part indexes, so they go out ahead of that digest parts.
  `
  CREATE TABLE chat_sections (
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('only', 'skip')),
    names      TEXT    NOT NULL,        -- JSON array of section titles, folded (see delivery/filters.ts)
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
  );
  CREATE TABLE follows (
    id         INTEGER PRIMARY KEY,
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    thread_id  TEXT,
    query      TEXT    NOT NULL,
    language   TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (platform, chat_id, query)
  );
  CREATE TABLE alerts (
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    issue_id   TEXT    NOT NULL,
    item_key   TEXT    NOT NULL,        -- the item's url, else its folded title
    part_index INTEGER NOT NULL,        -- the first outbox part of the alert that carried it (negative)
    created_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, issue_id, item_key)
  );
  `,
  // 5: chat leases. An instance sends a chat's parts only while it holds that chat's lease, so two
  // instances (or the bot and `newsbot deliver`) never send one chat at once and its order holds; a
  // dead instance's leases expire and another takes its chats over.
  `
  CREATE TABLE chat_leases (
    platform    TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
  );
  `,
  // 6: chat updates already handled (Telegram's update_id), so a command re-delivered after a crash
  // or to another instance is answered once. Rows older than 48 h are pruned (updates.ts).
  `
  CREATE TABLE handled_updates (
    platform   TEXT    NOT NULL,
    update_key TEXT    NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (platform, update_key)
  ) WITHOUT ROWID;
  CREATE INDEX handled_updates_age ON handled_updates (handled_at);
  `,
];
