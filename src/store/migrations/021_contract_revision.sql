-- 021 — a revision number per contract, moved by every write to what the contract's figures are
-- read from: its row, its actions and their statuses, objectives, indicators and their values,
-- bodies, meetings, campaigns and their link answers. The regional view (model/region) keeps
-- each contract's figures with the revision they were counted at and, after a write, counts
-- again only the contracts whose revision moved. Kept by triggers, so a write from anywhere
-- (another server, the sqlite3 shell, a script) moves it too. A deleted contract keeps its row:
-- should its id be given again, its revisions go on rising and never meet an old count.
-- PostgreSQL's triggers are in pg/021_contract_revision.sql.

CREATE TABLE contract_revision (
    contract_id INTEGER NOT NULL PRIMARY KEY,
    revision INTEGER NOT NULL DEFAULT 0
);
INSERT INTO contract_revision (contract_id) SELECT id FROM contract;

CREATE TRIGGER contract_revision_insert AFTER INSERT ON contract
BEGIN
    INSERT OR IGNORE INTO contract_revision (contract_id) VALUES (NEW.id);
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.id;
END;
CREATE TRIGGER contract_revision_update AFTER UPDATE ON contract
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.id, NEW.id);
END;

CREATE TRIGGER action_revision_insert AFTER INSERT ON action
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER action_revision_update AFTER UPDATE ON action
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER action_revision_delete AFTER DELETE ON action
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER indicator_revision_insert AFTER INSERT ON indicator
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER indicator_revision_update AFTER UPDATE ON indicator
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER indicator_revision_delete AFTER DELETE ON indicator
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER objective_revision_insert AFTER INSERT ON objective
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER objective_revision_update AFTER UPDATE ON objective
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER objective_revision_delete AFTER DELETE ON objective
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER body_revision_insert AFTER INSERT ON body
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER body_revision_update AFTER UPDATE ON body
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER body_revision_delete AFTER DELETE ON body
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER meeting_revision_insert AFTER INSERT ON meeting
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER meeting_revision_update AFTER UPDATE ON meeting
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER meeting_revision_delete AFTER DELETE ON meeting
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER campaign_revision_insert AFTER INSERT ON campaign
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
END;
CREATE TRIGGER campaign_revision_update AFTER UPDATE ON campaign
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.contract_id, NEW.contract_id);
END;
CREATE TRIGGER campaign_revision_delete AFTER DELETE ON campaign
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
END;

CREATE TRIGGER action_status_revision_insert AFTER INSERT ON action_status
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM action WHERE id = NEW.action_id);
END;
CREATE TRIGGER action_status_revision_update AFTER UPDATE ON action_status
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (SELECT contract_id FROM action WHERE id IN (OLD.action_id, NEW.action_id));
END;
CREATE TRIGGER action_status_revision_delete AFTER DELETE ON action_status
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM action WHERE id = OLD.action_id);
END;

CREATE TRIGGER indicator_value_revision_insert AFTER INSERT ON indicator_value
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM indicator WHERE id = NEW.indicator_id);
END;
CREATE TRIGGER indicator_value_revision_update AFTER UPDATE ON indicator_value
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (SELECT contract_id FROM indicator WHERE id IN (OLD.indicator_id, NEW.indicator_id));
END;
CREATE TRIGGER indicator_value_revision_delete AFTER DELETE ON indicator_value
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM indicator WHERE id = OLD.indicator_id);
END;

CREATE TRIGGER campaign_entry_revision_insert AFTER INSERT ON campaign_entry
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM campaign WHERE id = NEW.campaign_id);
END;
CREATE TRIGGER campaign_entry_revision_update AFTER UPDATE ON campaign_entry
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (SELECT contract_id FROM campaign WHERE id IN (OLD.campaign_id, NEW.campaign_id));
END;
CREATE TRIGGER campaign_entry_revision_delete AFTER DELETE ON campaign_entry
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = (SELECT contract_id FROM campaign WHERE id = OLD.campaign_id);
END;
