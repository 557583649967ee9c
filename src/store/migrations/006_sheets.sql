-- 006 — the standard action sheet (fields of DOMAIN.md and of the questionnaire's typologies),
-- sheet states, priority and the yearly plan; indicators with their values (appended, never
-- overwritten); the communes and intercommunalities of a territory with their INSEE codes; the
-- workload settings of a contract. Dates of a sheet keep the precision given: '2019',
-- '2019-03' or '2019-03-28'. Amounts are whole cents.

ALTER TABLE action ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN action_objectives TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN target_public TEXT NOT NULL DEFAULT ''
    CHECK (target_public IN ('', 'population', 'professionals', 'both'));
ALTER TABLE action ADD COLUMN whole_territory INTEGER NOT NULL DEFAULT 0;
ALTER TABLE action ADD COLUMN rhythm TEXT NOT NULL DEFAULT ''
    CHECK (rhythm IN ('', 'one_off', 'repeated', 'followed_up'));
ALTER TABLE action ADD COLUMN planned_start TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN planned_end TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN actual_start TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN actual_end TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN planned_budget INTEGER;
ALTER TABLE action ADD COLUMN actual_budget INTEGER;
ALTER TABLE action ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
    CHECK (priority IN ('high', 'normal', 'low'));
ALTER TABLE action ADD COLUMN sheet_state TEXT NOT NULL DEFAULT 'draft'
    CHECK (sheet_state IN ('draft', 'validated', 'closed'));

-- The choices of a sheet in the questionnaire's lists (list: age_bands, population_groups,
-- professionals, action_types, partner_types, project_team; key: see src/model/sheet_lists.c).
CREATE TABLE action_choice (
    action_id INTEGER NOT NULL REFERENCES action(id),
    list TEXT NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (action_id, list, choice)
);

-- Funders of an action: one of the list of question 21 (funder key) or a free name.
CREATE TABLE action_funder (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action(id),
    funder TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    amount INTEGER,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX action_funder_action ON action_funder(action_id, position);

-- The communes and intercommunalities a territory is made of (data/territories/*.csv).
-- kind: 'epci' (code = SIREN) or 'commune' (code = INSEE code, epci_code = its EPCI's SIREN).
CREATE TABLE territory_area (
    territory_id INTEGER NOT NULL REFERENCES territory(id),
    kind TEXT NOT NULL CHECK (kind IN ('epci', 'commune')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    epci_code TEXT NOT NULL DEFAULT '',
    population INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (territory_id, code)
);

-- The parts of the territory an action covers (when it does not cover the whole of it).
CREATE TABLE action_area (
    action_id INTEGER NOT NULL REFERENCES action(id),
    code TEXT NOT NULL,
    PRIMARY KEY (action_id, code)
);

-- The yearly plan: the actions the coordination keeps in focus in year Y.
CREATE TABLE action_plan (
    action_id INTEGER NOT NULL REFERENCES action(id),
    year INTEGER NOT NULL,
    PRIMARY KEY (action_id, year)
);
CREATE INDEX action_plan_year ON action_plan(year, action_id);

-- An indicator of an action or of an objective (exactly one of the two).
CREATE TABLE indicator (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    action_id INTEGER REFERENCES action(id),
    objective_id INTEGER REFERENCES objective(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('process', 'result')),
    unit TEXT NOT NULL DEFAULT '',
    baseline REAL,
    target REAL,
    method TEXT NOT NULL DEFAULT '',
    collected_by TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((action_id IS NULL) <> (objective_id IS NULL))
);
CREATE INDEX indicator_contract ON indicator(contract_id, position);
CREATE INDEX indicator_action ON indicator(action_id);
CREATE INDEX indicator_objective ON indicator(objective_id);

-- Values are appended: the value of a period is its latest row.
CREATE TABLE indicator_value (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
    period TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id)
);
CREATE INDEX indicator_value_indicator ON indicator_value(indicator_id, period, id);

-- How much a contract's coordination can steer: the coordinator's FTE and the threshold of
-- active actions per FTE above which the contract home warns.
CREATE TABLE contract_workload (
    contract_id INTEGER PRIMARY KEY REFERENCES contract(id),
    coordinator_fte REAL,
    max_actions_per_fte REAL NOT NULL DEFAULT 40,
    version INTEGER NOT NULL DEFAULT 1
);
