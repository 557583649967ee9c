-- PostgreSQL only. Every table's statement trigger (added by tools/embed_sql.py) calls this:
-- whoever writes (a server, a script, psql), the transaction bumps the write count once, and
-- each server compares it before using a cached page (store/db_pg.c). A count read in the
-- request is exact; a NOTIFY could reach a server after the request that should see the write.
CREATE TABLE boussole_write_count (n BIGINT NOT NULL, last_xact xid8);
INSERT INTO boussole_write_count (n, last_xact) VALUES (0, NULL);
CREATE FUNCTION boussole_announce_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE boussole_write_count SET n = n + 1, last_xact = pg_current_xact_id()
    WHERE last_xact IS DISTINCT FROM pg_current_xact_id();
    RETURN NULL;
END $$;

-- PostgreSQL only: the few SQLite functions Boussole's SQL calls, so the model's SQL is the
-- same text on both engines. Each does what SQLite's does for the arguments Boussole passes
-- ('now', ISO 8601 text, 'unixepoch', '±N day'); anything else gives NULL, as in SQLite.
-- date() is sqlite_date() here: store/pg_sql.c renames the calls, since PostgreSQL reads
-- date('now') as a cast to its date type.

CREATE FUNCTION boussole_time(t text, mods text[]) RETURNS timestamp
LANGUAGE plpgsql STABLE AS $$
DECLARE
    ts timestamp;
    m text;
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    BEGIN
        IF 'unixepoch' = ANY (mods) THEN
            ts := to_timestamp(t::double precision) AT TIME ZONE 'UTC';
        ELSIF t = 'now' THEN
            ts := now() AT TIME ZONE 'UTC';
        ELSE
            ts := replace(replace(t, 'T', ' '), 'Z', '')::timestamp;
        END IF;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END;
    FOREACH m IN ARRAY mods LOOP
        IF m ~ '^[-+]?[0-9]+ (day|hour|minute|second|month|year)s?$' THEN
            ts := ts + m::interval;
        END IF;
    END LOOP;
    RETURN ts;
END $$;

CREATE FUNCTION strftime(fmt text, t text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    ts timestamp := boussole_time(t, mods);
BEGIN
    IF ts IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN replace(replace(replace(replace(replace(replace(replace(fmt,
        '%Y', to_char(ts, 'YYYY')), '%m', to_char(ts, 'MM')), '%d', to_char(ts, 'DD')),
        '%H', to_char(ts, 'HH24')), '%M', to_char(ts, 'MI')), '%S', to_char(ts, 'SS')),
        '%s', floor(extract(epoch FROM ts))::bigint::text);
END $$;

CREATE FUNCTION strftime(fmt text, t bigint, VARIADIC mods text[] DEFAULT '{}') RETURNS text
LANGUAGE sql STABLE AS $$ SELECT strftime(fmt, t::text, VARIADIC mods) $$;

CREATE FUNCTION sqlite_date(t text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
LANGUAGE sql STABLE AS $$ SELECT strftime('%Y-%m-%d', t, VARIADIC mods) $$;

CREATE FUNCTION datetime(t text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
LANGUAGE sql STABLE AS $$ SELECT strftime('%Y-%m-%d %H:%M:%S', t, VARIADIC mods) $$;

CREATE FUNCTION group_concat_step(acc text, v text, sep text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END
$$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);
