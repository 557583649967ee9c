-- 017 — the public directory (issue 13): the card of an organisation (address, contacts,
-- SIRET: shared between contracts like the organisation itself), what a contact record needs to
-- appear publicly (consent, default no; a retention date), the themes and intercommunalities a
-- person is referent for, and the services (dispositifs) of a contract with who to call, their
-- publics, themes (data·inclusion thematiques) and territory (INSEE codes).
ALTER TABLE organisation ADD COLUMN siret TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN commune TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN insee_code TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN directory_updated_on TEXT NOT NULL DEFAULT '';

-- public_consent: 1 only once the person agreed to appear on public pages and exports.
-- retain_until: "AAAA-MM-JJ" after which the record should be erased (gdpr.c), "" when unset.
ALTER TABLE person ADD COLUMN public_consent INTEGER NOT NULL DEFAULT 0
    CHECK (public_consent IN (0, 1));
ALTER TABLE person ADD COLUMN retain_until TEXT NOT NULL DEFAULT '';

-- kind 'theme': code is a data·inclusion thematique; kind 'epci': code is its SIREN.
CREATE TABLE person_referent (
    person_id INTEGER NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('theme', 'epci')),
    code TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, code)
);

-- A service of a contract's directory. external_id: the data·inclusion id it came in with (kept
-- so that an export re-imported elsewhere keeps its ids); person_id: the contact to call, shown
-- publicly only with that person's consent.
CREATE TABLE service (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    external_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    person_id INTEGER REFERENCES person(id),
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    publics_note TEXT NOT NULL DEFAULT '',
    modes TEXT NOT NULL DEFAULT '',    -- data·inclusion modes_accueil, space-separated
    publics TEXT NOT NULL DEFAULT '',  -- data·inclusion publics, space-separated
    themes TEXT NOT NULL DEFAULT '',   -- data·inclusion thematiques, space-separated
    areas TEXT NOT NULL DEFAULT '',    -- INSEE codes (commune, EPCI SIREN, département), idem
    updated_on TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_contract ON service(contract_id, name);
CREATE UNIQUE INDEX service_external ON service(contract_id, external_id) WHERE external_id <> '';
