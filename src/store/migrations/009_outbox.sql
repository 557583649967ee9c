-- 009 — the outbox: e-mails are queued in the same transaction as the change that causes them
-- (a reset link, an invitation, a meeting's update) and sent later by a background sender with
-- retries, so no page waits on an SMTP server and no message is lost by a crash or a restart.
-- Times are Unix seconds. A sent row keeps its envelope but not its body (which may hold a
-- single-use link); a row is given up after too many attempts (failed_at, last_error).

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id),
    person_id INTEGER REFERENCES person(id),
    contract_id INTEGER REFERENCES contract(id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_account ON outbox(account_id);

-- Password reset requests, throttled per client address and per account (case-folded e-mail):
-- one row per request, so a sliding window is a COUNT.
CREATE TABLE reset_request (
    id INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX reset_request_key ON reset_request(throttle_key, at);
