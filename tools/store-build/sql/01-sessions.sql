-- localrec store-side build, step 1 of 4 (00 makes empty kept aggregates on a first build; 05 keeps the fit window): sessions and item codes.
--
-- Input: a table `events(session_id STRING, item_id STRING, time DOUBLE seconds since the epoch,
-- seq BIGINT file order)`, loaded by the engine's own reader, and the kept `item_codes(item_id,
-- code)` (empty on a first build). The placeholders {{...}} are numbers the driver substitutes.
-- Portable subset of DuckDB, Spark SQL and BigQuery: no engine-specific functions.

-- One row per session: its number (in order of its first event in the file), length, last event
-- and the UTC day of that last event (the day its counts decay from).
CREATE TABLE batch_sessions AS
SELECT session_id,
       ROW_NUMBER() OVER (ORDER BY MIN(seq)) AS sid,
       COUNT(*) AS len,
       MIN(seq) AS first_seq,
       MAX(time) AS end_time,
       CAST(FLOOR(MAX(time) / 86400) AS BIGINT) AS day
FROM events
GROUP BY session_id;

-- Items keep their code across runs; a new item gets the next free one (in item id order).
CREATE TABLE item_codes_next AS
SELECT item_id, code FROM item_codes
UNION ALL
SELECT n.item_id, top.max_code + ROW_NUMBER() OVER (ORDER BY n.item_id) AS code
FROM (SELECT DISTINCT item_id FROM events) n
CROSS JOIN (SELECT COALESCE(MAX(code), 0) AS max_code FROM item_codes) top
LEFT JOIN item_codes k ON k.item_id = n.item_id
WHERE k.item_id IS NULL;

-- Each event with its session's number and its position in the session: by time, equal times
-- in file order (as the in-memory builder's stable sort).
CREATE TABLE positioned AS
SELECT s.sid,
       ROW_NUMBER() OVER (PARTITION BY e.session_id ORDER BY e.time, e.seq) AS pos,
       c.code AS item,
       e.time,
       s.len,
       s.day
FROM events e
JOIN batch_sessions s ON s.session_id = e.session_id
JOIN item_codes_next c ON c.item_id = e.item_id;
