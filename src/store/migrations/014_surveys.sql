-- 014 — evaluation questionnaires: the coordination builds a survey for a contract (from the
-- 33-question CLS template of data/survey/questionnaire.json, then edited while still a draft),
-- opens it, and each carrier contact gets a personal link (digest only, as campaigns) to answer
-- once per action its organisation carries, saving a draft and resuming before submitting.
CREATE TABLE survey (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
    deadline TEXT NOT NULL DEFAULT '',   -- 'AAAA-MM-JJ' once open
    deadline_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    opened_at INTEGER,
    closed_at INTEGER
);
CREATE INDEX survey_contract ON survey(contract_id);
-- Questions in order. options and rows hold one choice (or matrix row) per line; a condition
-- shows the question only when the answer to question cond_position (an earlier position of
-- the same survey) includes the choice cond_value.
CREATE TABLE survey_question (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id),
    position INTEGER NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'text', 'scale', 'date', 'matrix')),
    required INTEGER NOT NULL DEFAULT 0,
    options TEXT NOT NULL DEFAULT '',
    rows TEXT NOT NULL DEFAULT '',
    has_comment INTEGER NOT NULL DEFAULT 0,
    cond_position INTEGER,
    cond_value TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (survey_id, position)
);
CREATE TABLE survey_link (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    reminders INTEGER NOT NULL DEFAULT 0,
    last_reminder_at INTEGER,
    used_at INTEGER
);
CREATE INDEX survey_link_survey ON survey_link(survey_id);
CREATE TABLE survey_token (
    digest TEXT PRIMARY KEY,
    link_id INTEGER NOT NULL REFERENCES survey_link(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE survey_session (
    digest TEXT PRIMARY KEY,
    link_id INTEGER NOT NULL REFERENCES survey_link(id),
    expires_at INTEGER NOT NULL
);
-- One answer set per action and respondent: a draft until submitted.
CREATE TABLE survey_response (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey(id),
    link_id INTEGER NOT NULL REFERENCES survey_link(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
    saved_at INTEGER NOT NULL,
    submitted_at INTEGER,
    UNIQUE (survey_id, link_id, action_id)
);
-- The answers as rows: part 'choice' (one row per chosen option), 'text', 'scale', 'start' and
-- 'end' (dates), 'comment', 'other', or 'row:N' (matrix row N, value the chosen column).
CREATE TABLE survey_answer (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES survey_response(id),
    question_id INTEGER NOT NULL REFERENCES survey_question(id),
    part TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX survey_answer_response ON survey_answer(response_id);
CREATE INDEX survey_answer_question ON survey_answer(question_id);
-- The scheduled reminders already sent ('7d', '1d' before the deadline): each goes out once.
CREATE TABLE survey_reminder (
    survey_id INTEGER NOT NULL REFERENCES survey(id),
    kind TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (survey_id, kind)
);
-- A questionnaire sent through a link is journaled as "NAME (ORGANISATION, lien de
-- questionnaire)": when the person is renamed or erased (pseudonymised), those entries follow.
CREATE TRIGGER survey_actor_rename AFTER UPDATE OF name ON person
WHEN OLD.name <> NEW.name AND EXISTS (SELECT 1 FROM survey_link WHERE person_id = NEW.id)
BEGIN
    UPDATE audit_log SET actor = NEW.name || substr(actor, length(OLD.name) + 1)
    WHERE account_id IS NULL AND actor LIKE '%, lien de questionnaire)'
      AND substr(actor, 1, length(OLD.name) + 2) = OLD.name || ' (';
END;
