-- 008 — files uploaded to the import screen, kept between the upload and the import so that
-- the coordination can choose the sheet and the columns first. The file itself, base64; deleted
-- after the import and after a day.
CREATE TABLE import_upload (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    filename TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX import_upload_contract ON import_upload(contract_id, account_id);
