-- 022 — a campaign's reporting rate dates each status of the year by the link answer that wrote
-- it (campaign_entry.action_status_id). Without this index each status looked up meant reading
-- every link answer ever given: with one answer per action and year, tens of thousands of rows
-- for each status of a region's contracts.

CREATE INDEX campaign_entry_status ON campaign_entry(action_status_id);
