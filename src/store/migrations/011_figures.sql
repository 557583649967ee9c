-- 011 — the year every default view shows, and where the demo's data come from.
-- reporting_year: the year the coordination reports on (home, lists, dashboard, Gantt, reports
-- and the API show it unless asked for another); NULL means the computed default of
-- src/model/figures.c (the last year in which most of the contract's actions have a status), so
-- one carrier's early entry for the next year never moves every page to that year.
ALTER TABLE contract ADD COLUMN reporting_year INTEGER;
-- source_ref: where an action or a signatory was taken from ("Rapport d'évaluation du CLS 2,
-- annexe 8 (ligne 2930)"), shown in French as a discreet "Source" line, never as a note.
ALTER TABLE action ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';
-- since_year: the year an action entered the contract when that is known and earlier than its
-- creation (an import of year Y's table creates the actions of Y, status or not).
ALTER TABLE action ADD COLUMN since_year INTEGER;
ALTER TABLE signatory ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';
-- A figure a source document states for a year (e.g. the 2023 report's "29 actions réalisées
-- (38 %)"), kept so that the report can cite it next to the figure computed from the data when
-- the two differ. metric: 'done', 'abandoned', 'remaining' or 'total'; value (a number of
-- actions) and share (a percentage) are NULL when the source does not give them.
CREATE TABLE source_figure (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    year INTEGER NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('done', 'abandoned', 'remaining', 'total')),
    value INTEGER,
    share INTEGER,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX source_figure_contract ON source_figure(contract_id, year);
