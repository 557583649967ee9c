-- 018 — funding: the coordinator post's yearly financing plan (annex 2 of the evaluation report:
-- expense and income lines by funder, a year final only when it balances), the funding lines of
-- each action by funder and year (asked, granted, and what the SCDL subventions export needs),
-- and the funding calls imported from Aides-territoires or a saved file, matched to actions.
-- Amounts are whole cents. Lines are never deleted: a removed line is archived, every change
-- bumps its version and is written to audit_log.

CREATE TABLE financing_year (
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    year INTEGER NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'final')),
    stated_expense INTEGER,          -- the totals the source prints, shown next to the sums
    stated_income INTEGER,
    source_ref TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (contract_id, year)
);

CREATE TABLE financing_line (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    year INTEGER NOT NULL,
    line_type TEXT NOT NULL CHECK (line_type IN ('expense', 'income')),
    label TEXT NOT NULL,             -- "Salaire brut", "Charges", or the funder ("Région")
    organisation_id INTEGER REFERENCES organisation(id),
    amount INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    source_ref TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX financing_line_year ON financing_line(contract_id, year, position);

-- The summary over the contract's years as the source prints it (rounded to the euro there).
CREATE TABLE financing_stated_summary (
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    line_type TEXT NOT NULL CHECK (line_type IN ('expense', 'income')),
    label TEXT NOT NULL,             -- '' for the total
    amount INTEGER NOT NULL,
    source_ref TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contract_id, line_type, label)
);

CREATE TABLE action_funding (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action(id),
    funder TEXT NOT NULL,            -- nomAttribuant
    funder_siret TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    asked INTEGER,
    granted INTEGER,
    beneficiary TEXT NOT NULL DEFAULT '',
    beneficiary_siret TEXT NOT NULL DEFAULT '',
    decision_date TEXT NOT NULL DEFAULT '',   -- dateConvention, AAAA-MM-JJ
    decision_ref TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    nature TEXT NOT NULL DEFAULT 'aide en numéraire',
    payment TEXT NOT NULL DEFAULT 'unique',
    payment_dates TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX action_funding_action ON action_funding(action_id, year);

CREATE TABLE funding_call (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    source TEXT NOT NULL,            -- 'aides-territoires' or the file's name
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    financers TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '',
    audiences TEXT NOT NULL DEFAULT '',
    perimeter TEXT NOT NULL DEFAULT '',
    perimeter_scale TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    UNIQUE (contract_id, external_id)
);
CREATE INDEX funding_call_deadline ON funding_call(contract_id, deadline);

CREATE TABLE funding_call_match (
    call_id INTEGER NOT NULL REFERENCES funding_call(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (call_id, action_id)
);
CREATE INDEX funding_call_match_action ON funding_call_match(action_id);

-- Reminders queued in the outbox before a deadline, once per call and delay.
CREATE TABLE funding_call_reminder (
    call_id INTEGER NOT NULL REFERENCES funding_call(id),
    days_before INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (call_id, days_before)
);
