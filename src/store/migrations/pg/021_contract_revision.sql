-- PostgreSQL form of 021's triggers (same effect as the SQLite ones in 021_contract_revision.sql):
-- one function per way a row names its contract.

CREATE FUNCTION contract_revision_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contract_revision (contract_id) VALUES (NEW.id) ON CONFLICT (contract_id) DO NOTHING;
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER contract_revision_insert AFTER INSERT ON contract
FOR EACH ROW EXECUTE FUNCTION contract_revision_insert();

CREATE FUNCTION contract_revision_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contract_revision SET revision = revision + 1 WHERE contract_id IN (OLD.id, NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER contract_revision_update AFTER UPDATE ON contract
FOR EACH ROW EXECUTE FUNCTION contract_revision_update();

-- A row with its contract_id.
CREATE FUNCTION contract_revision_of_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = OLD.contract_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.contract_id <> OLD.contract_id) THEN
        UPDATE contract_revision SET revision = revision + 1 WHERE contract_id = NEW.contract_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER action_revision AFTER INSERT OR UPDATE OR DELETE ON action
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();
CREATE TRIGGER indicator_revision AFTER INSERT OR UPDATE OR DELETE ON indicator
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();
CREATE TRIGGER objective_revision AFTER INSERT OR UPDATE OR DELETE ON objective
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();
CREATE TRIGGER body_revision AFTER INSERT OR UPDATE OR DELETE ON body
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();
CREATE TRIGGER meeting_revision AFTER INSERT OR UPDATE OR DELETE ON meeting
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();
CREATE TRIGGER campaign_revision AFTER INSERT OR UPDATE OR DELETE ON campaign
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_row();

-- A row of action_status: its action's contract.
CREATE FUNCTION contract_revision_of_action_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM action WHERE id = OLD.action_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.action_id <> OLD.action_id) THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM action WHERE id = NEW.action_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER action_status_revision AFTER INSERT OR UPDATE OR DELETE ON action_status
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_action_status();

-- A row of indicator_value: its indicator's contract.
CREATE FUNCTION contract_revision_of_indicator_value() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM indicator WHERE id = OLD.indicator_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.indicator_id <> OLD.indicator_id) THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM indicator WHERE id = NEW.indicator_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER indicator_value_revision AFTER INSERT OR UPDATE OR DELETE ON indicator_value
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_indicator_value();

-- A row of campaign_entry: its campaign's contract.
CREATE FUNCTION contract_revision_of_campaign_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM campaign WHERE id = OLD.campaign_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.campaign_id <> OLD.campaign_id) THEN
        UPDATE contract_revision SET revision = revision + 1
        WHERE contract_id = (SELECT contract_id FROM campaign WHERE id = NEW.campaign_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_entry_revision AFTER INSERT OR UPDATE OR DELETE ON campaign_entry
FOR EACH ROW EXECUTE FUNCTION contract_revision_of_campaign_entry();
