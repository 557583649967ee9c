-- 010 — records that several contracts show: an organisation carrying, partnering or signing
-- for two contracts, a contact record tied to the account of another contract's person. Each
-- audit entry of such a record is listed in the journal of every contract that showed it when
-- it was written (its own contract, if it has one, lists it anyway).
CREATE TABLE audit_contract (
    audit_id INTEGER NOT NULL REFERENCES audit_log(id),
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    PRIMARY KEY (contract_id, audit_id)
);
