-- 007 — indexes for instances with many contracts (measured with boussole demo --synthetic 1000,
-- bench/scale.sh). The contracts index and the API list read each contract's general objective:
-- with this covering index the 1000 titles sit together in a few pages instead of one table page
-- per contract (the list went from 10-40 ms to about 1 ms of server time).
CREATE INDEX objective_level ON objective(level, contract_id, position, title);
