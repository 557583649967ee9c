-- 003 — a covering index for "the latest status of each action in a year": dashboards and lists
-- read the status from the index without visiting the table.
CREATE INDEX action_status_latest ON action_status(action_id, year, id, status);
