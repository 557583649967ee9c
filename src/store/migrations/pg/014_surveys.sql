-- PostgreSQL form of 014's trigger (same effect as the SQLite one in 014_surveys.sql).

CREATE FUNCTION survey_actor_rename() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM survey_link WHERE person_id = NEW.id) THEN
        UPDATE audit_log SET actor = NEW.name || substr(actor, length(OLD.name) + 1)
        WHERE account_id IS NULL AND actor LIKE '%, lien de questionnaire)'
          AND substr(actor, 1, length(OLD.name) + 2) = OLD.name || ' (';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER survey_actor_rename AFTER UPDATE OF name ON person
FOR EACH ROW WHEN (OLD.name <> NEW.name) EXECUTE FUNCTION survey_actor_rename();
