-- 005 — the yearly execution report (bilan d'exécution) and spreadsheet imports: who the
-- beneficiary of the ARS conventions is, the conventions themselves, the narrative texts the
-- coordination writes for each year, and the column mappings saved for a coordinator's own
-- sheets. Texts are appended, never overwritten: the latest row of (contract, year, section,
-- objective) is the text in force.

-- The beneficiary block of the reports ("Identification du bénéficiaire"), one per contract.
CREATE TABLE report_identity (
    contract_id INTEGER PRIMARY KEY REFERENCES contract(id),
    beneficiary TEXT NOT NULL DEFAULT '',
    siret TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    person_in_charge TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- A financing convention with the ARS: its number (may be unknown: '') and the whole period it
-- covers (ISO days). The report of year Y names the convention whose period holds Y.
CREATE TABLE report_convention (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    number TEXT NOT NULL DEFAULT '',
    start_on TEXT NOT NULL,
    end_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (start_on <= end_on)
);
CREATE INDEX report_convention_contract ON report_convention(contract_id, start_on);

-- One version of a narrative section of a year's report, in Markdown. section: 'context',
-- 'missions', 'governance', 'communication', 'objective' (work on one specific objective,
-- objective_id set), 'communication_done', 'new_actions', 'conclusion', or 'person_in_charge'
-- (one line: who led the project that year, when it differs from report_identity).
CREATE TABLE report_text (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    year INTEGER NOT NULL,
    section TEXT NOT NULL CHECK (section IN ('context', 'missions', 'governance',
                                             'communication', 'objective',
                                             'communication_done', 'new_actions',
                                             'conclusion', 'person_in_charge')),
    objective_id INTEGER REFERENCES objective(id),
    body TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id),
    recorded_by TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    CHECK ((section = 'objective') = (objective_id IS NOT NULL))
);
CREATE INDEX report_text_year ON report_text(contract_id, year, section, objective_id, id);

-- A coordinator's column mapping for her own sheets: spec is "action=C,carrier=E,status=F,
-- header=2" as the command line's --map takes it.
CREATE TABLE import_mapping (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id),
    created_at TEXT NOT NULL,
    UNIQUE (contract_id, name)
);
