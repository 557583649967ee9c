-- 012 — yearly update campaigns (what DHIS2 calls a reporting rate): the coordination opens year
-- Y of a contract with a deadline; each carrier contact gets a personal link (only its SHA-256
-- digest is kept) that opens a short session limited to its organisation's actions.
-- status_mark / close_mark: the last action_status id when the campaign opened / closed; a status
-- row of year Y with an id between them was entered during the campaign (whatever the channel:
-- link, form, API or import), so the reporting rate never depends on the wall clock of a row.
CREATE TABLE campaign (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    year INTEGER NOT NULL,
    deadline TEXT NOT NULL,          -- 'AAAA-MM-JJ', the last day answers count as on time
    deadline_at INTEGER NOT NULL,    -- Unix time of the end of that day (UTC)
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    opened_at INTEGER NOT NULL,
    opened_by TEXT NOT NULL DEFAULT '',
    closed_at INTEGER,
    status_mark INTEGER NOT NULL DEFAULT 0,
    close_mark INTEGER,
    UNIQUE (contract_id, year)
);
-- One personal link per contact and organisation. The name and address are read from person, so
-- that an erasure (gdpr.c scrubs the person row) leaves nothing here that names or reaches them.
CREATE TABLE campaign_link (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    reminders INTEGER NOT NULL DEFAULT 0,
    last_reminder_at INTEGER,
    used_at INTEGER
);
CREATE INDEX campaign_link_campaign ON campaign_link(campaign_id);
-- The digests of the tokens mailed for a link (the first mail and each reminder: every one of
-- them works until the campaign closes).
CREATE TABLE campaign_token (
    digest TEXT PRIMARY KEY,
    link_id INTEGER NOT NULL REFERENCES campaign_link(id),
    created_at INTEGER NOT NULL
);
-- The short sessions a link is exchanged for (cookie bsl_campaign, digest only).
CREATE TABLE campaign_session (
    digest TEXT PRIMARY KEY,
    link_id INTEGER NOT NULL REFERENCES campaign_link(id),
    expires_at INTEGER NOT NULL
);
-- Each status written through a link, at the request's time (on time or late).
CREATE TABLE campaign_entry (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    link_id INTEGER NOT NULL REFERENCES campaign_link(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    action_status_id INTEGER REFERENCES action_status(id),
    at INTEGER NOT NULL
);
CREATE INDEX campaign_entry_campaign ON campaign_entry(campaign_id, action_id);
-- The scheduled reminders already sent ('7d', '1d' before the deadline): each goes out once.
CREATE TABLE campaign_reminder (
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    kind TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, kind)
);
-- An answer through a link is journaled as "NAME (ORGANISATION, lien de campagne)": when the
-- person is renamed or erased (pseudonymised), those journal entries follow.
CREATE TRIGGER campaign_actor_rename AFTER UPDATE OF name ON person
WHEN OLD.name <> NEW.name AND EXISTS (SELECT 1 FROM campaign_link WHERE person_id = NEW.id)
BEGIN
    UPDATE audit_log SET actor = NEW.name || substr(actor, length(OLD.name) + 1)
    WHERE account_id IS NULL AND actor LIKE '%, lien de campagne)'
      AND substr(actor, 1, length(OLD.name) + 2) = OLD.name || ' (';
END;
-- Closing a campaign freezes its year: any status of that year written afterwards, by any
-- channel, is flagged as a correction and journaled as such with the name of who wrote it.
ALTER TABLE action_status ADD COLUMN correction INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER action_status_correction AFTER INSERT ON action_status
WHEN EXISTS (SELECT 1 FROM campaign c JOIN action a ON a.contract_id = c.contract_id
             WHERE a.id = NEW.action_id AND c.year = NEW.year AND c.state = 'closed')
BEGIN
    UPDATE action_status SET correction = 1 WHERE id = NEW.id;
    INSERT INTO audit_log (at, account_id, actor, entity, entity_id, version, field, old_value,
                           new_value)
    VALUES (NEW.recorded_at, NEW.account_id,
            CASE WHEN NEW.recorded_by = '' THEN 'système' ELSE NEW.recorded_by END, 'action',
            NEW.action_id, 0, 'correction:' || NEW.year, '', NEW.status);
END;
