-- 001 — territories, contracts, signatories, the strategy tree, organisations, actions and the
-- yearly progress status history. Standard SQL apart from INTEGER PRIMARY KEY (store/ maps it).

CREATE TABLE territory (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    members TEXT NOT NULL DEFAULT ''
);

CREATE TABLE contract (
    id INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territory(id),
    slug TEXT UNIQUE,
    generation INTEGER,
    title TEXT NOT NULL,
    short_title TEXT NOT NULL DEFAULT '',
    signed_on TEXT NOT NULL DEFAULT '',
    start_year INTEGER,
    end_year INTEGER,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('draft', 'active', 'closed')),
    created_at TEXT NOT NULL
);

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    slug TEXT UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'other',
    acronym TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT ''
);
CREATE INDEX organisation_name ON organisation(name);

CREATE TABLE signatory (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    organisation_id INTEGER REFERENCES organisation(id),
    institution TEXT NOT NULL,
    representative_name TEXT NOT NULL DEFAULT '',
    representative_title TEXT NOT NULL DEFAULT '',
    represented_by TEXT NOT NULL DEFAULT '',
    signed_on TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signatory_contract ON signatory(contract_id, position);

CREATE TABLE objective (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    parent_id INTEGER REFERENCES objective(id),
    level TEXT NOT NULL CHECK (level IN ('general', 'strategic', 'specific', 'operational')),
    code TEXT NOT NULL DEFAULT '',
    alt_code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX objective_contract ON objective(contract_id, position);
CREATE INDEX objective_parent ON objective(parent_id);

CREATE TABLE action (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    objective_id INTEGER NOT NULL REFERENCES objective(id),
    slug TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('sheet', 'lead')),
    code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    carrier_label TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (contract_id, slug)
);
CREATE INDEX action_contract ON action(contract_id, position);
CREATE INDEX action_objective ON action(objective_id);

-- role: the lead carrier (one per action), co-carriers and partners.
CREATE TABLE action_organisation (
    action_id INTEGER NOT NULL REFERENCES action(id),
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    role TEXT NOT NULL CHECK (role IN ('carrier', 'co_carrier', 'partner')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (action_id, organisation_id, role)
);
CREATE INDEX action_organisation_org ON action_organisation(organisation_id);

-- History is appended, never overwritten: the status of an action for a year is its latest row.
CREATE TABLE action_status (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action(id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done_closed', 'done_recurring', 'done', 'in_progress',
                                           'reflection', 'not_started', 'abandoned')),
    status_as_written TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    recommendations TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_status_action_year ON action_status(action_id, year, id);
CREATE INDEX action_status_year ON action_status(year);
