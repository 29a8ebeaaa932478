-- localrec store-side build, first build only: empty kept aggregates, so the steps after this one
-- read the same tables on a first build as on a daily run (which loads the kept ones instead).
-- 0e0 is a DOUBLE (FLOAT64) literal in every engine.

CREATE TABLE item_codes AS SELECT 'x' AS item_id, CAST(0 AS BIGINT) AS code FROM (SELECT 1 AS one) t WHERE 1 = 0;
CREATE TABLE items AS SELECT CAST(0 AS BIGINT) AS item, 0e0 AS events, CAST(0 AS BIGINT) AS sessions FROM (SELECT 1 AS one) t WHERE 1 = 0;
CREATE TABLE recent AS SELECT CAST(0 AS BIGINT) AS item, CAST(0 AS BIGINT) AS day, 0e0 AS events, CAST(0 AS BIGINT) AS sessions FROM (SELECT 1 AS one) t WHERE 1 = 0;
CREATE TABLE pairs AS SELECT CAST(0 AS BIGINT) AS src, CAST(0 AS BIGINT) AS dst, 0e0 AS rule_weight, CAST(0 AS BIGINT) AS rule_sessions,
  0e0 AS sim_weight, CAST(0 AS BIGINT) AS sim_sessions FROM (SELECT 1 AS one) t WHERE 1 = 0;
CREATE TABLE window_events AS SELECT 'x' AS session_id, 'x' AS item_id, 0e0 AS time, CAST(0 AS BIGINT) AS seq FROM (SELECT 1 AS one) t WHERE 1 = 0;
