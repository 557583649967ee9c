-- 013 — the final evaluation of a contract: its SWOT (forces, faiblesses, opportunités, menaces)
-- and its recommendations, each with an owner and a follow-up, which the next contract carries
-- as objectives or actions (link kept in recommendation_carry).
CREATE TABLE swot_item (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    quadrant TEXT NOT NULL
        CHECK (quadrant IN ('strength', 'weakness', 'opportunity', 'threat')),
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    source_ref TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX swot_item_contract ON swot_item(contract_id, quadrant, position);

CREATE TABLE recommendation (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',          -- who carries it (an organisation or a body, as typed)
    follow_up TEXT NOT NULL DEFAULT '',      -- what was done about it, updated over time
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'in_progress', 'done', 'dropped')),
    source_ref TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (contract_id, number)
);

-- The editable text of the final report: a section key ('conclusion', 'method', …) and the
-- coordinator's text, which replaces the sentence drafted from the figures when not empty.
CREATE TABLE evaluation_text (
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    section TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (contract_id, section)
);

-- A contract made from another one (CLS 3 from CLS 2): where each kept action and each carried
-- recommendation came from, so both histories stay reachable from either side.
ALTER TABLE contract ADD COLUMN previous_id INTEGER REFERENCES contract(id);
CREATE TABLE action_origin (
    action_id INTEGER PRIMARY KEY REFERENCES action(id),
    origin_action_id INTEGER NOT NULL REFERENCES action(id),
    kind TEXT NOT NULL CHECK (kind IN ('reconducted', 'modified'))
);
CREATE INDEX action_origin_origin ON action_origin(origin_action_id);
CREATE TABLE recommendation_carry (
    recommendation_id INTEGER NOT NULL REFERENCES recommendation(id),
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    objective_id INTEGER REFERENCES objective(id),
    action_id INTEGER REFERENCES action(id),
    CHECK ((objective_id IS NULL) <> (action_id IS NULL))
);
CREATE INDEX recommendation_carry_rec ON recommendation_carry(recommendation_id);
