-- 019 — communication: the contract's communication plan (annex 3 of the CLS 2 report) with a
-- yearly target per row and what was done each year, the newsletter (numbered issues, the
-- subscribers with their consent, one personal unsubscribe token per mail sent) and the
-- List-Unsubscribe address a queued mail carries (RFC 8058).

-- One row of the plan, its texts kept verbatim. target_per_year: how many times a year the row's
-- indicator must be reached (0: no yearly target); target_from: first year it counts (0: the
-- contract's start); counts_newsletters: an issue sent that year counts as one done.
CREATE TABLE comm_item (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    position INTEGER NOT NULL,
    objective TEXT NOT NULL DEFAULT '',
    support TEXT NOT NULL DEFAULT '',
    target_public TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    strategy TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    schedule TEXT NOT NULL DEFAULT '',
    indicator TEXT NOT NULL DEFAULT '',
    plan_version TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    target_per_year INTEGER NOT NULL DEFAULT 0 CHECK (target_per_year BETWEEN 0 AND 1000),
    target_from INTEGER NOT NULL DEFAULT 0,
    counts_newsletters INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX comm_item_contract ON comm_item(contract_id, position);

-- What was done for a row in a year (appended, never overwritten: a correction is a new row
-- with a negative count and its note).
CREATE TABLE comm_done (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES comm_item(id),
    year INTEGER NOT NULL,
    count INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id)
);
CREATE INDEX comm_done_item ON comm_done(item_id, year);

-- A numbered issue of the contract's newsletter: a draft until sent, then frozen.
CREATE TABLE newsletter (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',        -- Markdown
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'sent')),
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    sent_year INTEGER,
    recipients INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (contract_id, number)
);

-- Who receives a contract's newsletter: an address given with its consent (the text agreed to
-- and when); unsubscribed_at set by the personal link. Erasure deletes the row.
CREATE TABLE subscriber (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    email TEXT NOT NULL,
    consent_at INTEGER NOT NULL,
    consent_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    unsubscribed_at INTEGER,
    UNIQUE (contract_id, email)
);

-- One mail of an issue to a subscriber; digest: SHA-256 of the personal unsubscribe token.
CREATE TABLE newsletter_delivery (
    id INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletter(id),
    subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),
    digest TEXT NOT NULL UNIQUE,
    outbox_id INTEGER
);
CREATE INDEX newsletter_delivery_subscriber ON newsletter_delivery(subscriber_id);

-- The one-click unsubscribe address of a mail (List-Unsubscribe, RFC 8058); dropped once sent.
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;
