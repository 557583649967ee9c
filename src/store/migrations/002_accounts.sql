-- 002 — accounts, sessions, login throttling, e-mailed one-time links, API tokens, the audit log,
-- and a version number on every editable record (a stale edit is refused, never merged silently).
-- Times used for expiry are Unix seconds (INTEGER), portable and cheap to compare.

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL
        CHECK (role IN ('admin', 'coordinator', 'carrier', 'referent', 'signatory')),
    contract_id INTEGER REFERENCES contract(id),
    organisation_id INTEGER REFERENCES organisation(id),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    erased_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX session_account ON session(account_id);

-- One row per e-mail address or client address that recently failed to log in.
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    next_allowed_at INTEGER NOT NULL
);

CREATE TABLE mail_token (
    token_digest TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_token_account ON api_token(account_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id),
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_account ON audit_log(account_id, id);

ALTER TABLE contract ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contract ADD COLUMN public_remarks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contract ADD COLUMN public_people INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objective ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE objective ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE action ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisation ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE signatory ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action_status ADD COLUMN account_id INTEGER REFERENCES account(id);
