-- 004 — governance: people (contact records), bodies with their members and elected referents,
-- the yearly meeting plan, meetings with invitees and attendance, minutes, and decisions linked
-- to actions. Dates keep the precision the source gives ('2019', '2019-03', '2019-03-28').

-- A contact record: member of a body, invitee, attendee. Tied to an account when the person has
-- one; kept by the coordination of one contract (contract_id). Professional details only (GDPR).
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    name TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER REFERENCES organisation(id),
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX person_contract ON person(contract_id, name);
CREATE INDEX person_account ON person(account_id);

-- A governance body of a contract and how often it must meet (max NULL: no upper bound).
CREATE TABLE body (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    kind TEXT NOT NULL CHECK (kind IN ('steering_committee', 'technical_committee',
                                       'project_team', 'thematic_group', 'referents_meeting',
                                       'other')),
    name TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    min_per_year INTEGER NOT NULL DEFAULT 0,
    max_per_year INTEGER,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX body_contract ON body(contract_id, position);

CREATE TABLE body_member (
    body_id INTEGER NOT NULL REFERENCES body(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'guest')),
    PRIMARY KEY (body_id, person_id)
);
CREATE INDEX body_member_person ON body_member(person_id);

-- The elected referent of each intercommunality (an organisation of the directory) in a body.
CREATE TABLE body_referent (
    body_id INTEGER NOT NULL REFERENCES body(id),
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    PRIMARY KEY (body_id, organisation_id)
);

-- The yearly plan: the meetings a body should hold in a year, on a day or in a month.
CREATE TABLE meeting_plan (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id),
    year INTEGER NOT NULL,
    planned_on TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'year')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_plan_body ON meeting_plan(body_id, year, planned_on);

-- sequence: the iCalendar SEQUENCE, raised by every change invitees must hear of.
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    body_id INTEGER REFERENCES body(id),
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'year')),
    end_on TEXT NOT NULL DEFAULT '',
    date_as_written TEXT NOT NULL DEFAULT '',
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    video_url TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled', 'postponed',
                                           'not_held')),
    notes TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meeting_contract ON meeting(contract_id, year, held_on);
CREATE INDEX meeting_body ON meeting(body_id, year, held_on);

-- An invitee and, once the meeting is held, their attendance ('' until recorded).
-- invited_sequence: the SEQUENCE of the last invitation or update e-mailed to them.
CREATE TABLE meeting_invitee (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    attendance TEXT NOT NULL DEFAULT ''
        CHECK (attendance IN ('', 'present', 'excused', 'absent', 'represented')),
    represented_by TEXT NOT NULL DEFAULT '',
    invited_sequence INTEGER,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_invitee_person ON meeting_invitee(person_id);

CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    text TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX decision_meeting ON decision(meeting_id, position);

CREATE TABLE decision_action (
    decision_id INTEGER NOT NULL REFERENCES decision(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    PRIMARY KEY (decision_id, action_id)
);
CREATE INDEX decision_action_action ON decision_action(action_id);
