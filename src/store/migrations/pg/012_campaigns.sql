-- PostgreSQL form of 012's two triggers (same effect as the SQLite ones in 012_campaigns.sql).

CREATE FUNCTION campaign_actor_rename() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM campaign_link WHERE person_id = NEW.id) THEN
        UPDATE audit_log SET actor = NEW.name || substr(actor, length(OLD.name) + 1)
        WHERE account_id IS NULL AND actor LIKE '%, lien de campagne)'
          AND substr(actor, 1, length(OLD.name) + 2) = OLD.name || ' (';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER campaign_actor_rename AFTER UPDATE OF name ON person
FOR EACH ROW WHEN (OLD.name <> NEW.name) EXECUTE FUNCTION campaign_actor_rename();

CREATE FUNCTION action_status_correction() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM campaign c JOIN action a ON a.contract_id = c.contract_id
               WHERE a.id = NEW.action_id AND c.year = NEW.year AND c.state = 'closed') THEN
        UPDATE action_status SET correction = 1 WHERE id = NEW.id;
        INSERT INTO audit_log (at, account_id, actor, entity, entity_id, version, field,
                               old_value, new_value)
        VALUES (NEW.recorded_at, NEW.account_id,
                CASE WHEN NEW.recorded_by = '' THEN 'système' ELSE NEW.recorded_by END,
                'action', NEW.action_id, 0, 'correction:' || NEW.year, '', NEW.status);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER action_status_correction AFTER INSERT ON action_status
FOR EACH ROW EXECUTE FUNCTION action_status_correction();
