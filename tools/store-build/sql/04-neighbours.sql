-- localrec store-side build, step 4 of 4: what the bundle publishes.
--
-- Input: `items_next`, `recent_next`, `pairs_next` (03-merge.sql). Output: the rows the encoder
-- (`encodeFromEngine` in tools/store-build/build.ts) turns into session-bundle.bin. Pairs seen in fewer than
-- {{min_support}} sessions are not published; each item keeps its {{neighbours}} strongest
-- neighbours per graph (RANK: every neighbour tied at the cut stays, the encoder breaks ties by
-- the bundle's item order). A similar neighbour's score is divided by its session
-- count^{{sim_pop_norm}} (idf-like).

CREATE TABLE bundle_next AS
SELECT src, dst, weight FROM (
  SELECT src, dst, rule_weight AS weight,
         RANK() OVER (PARTITION BY src ORDER BY rule_weight DESC) AS r
  FROM pairs_next
  WHERE rule_sessions >= {{min_support}}
) ranked
WHERE r <= {{neighbours}};

CREATE TABLE bundle_similar AS
SELECT src, dst, weight FROM (
  SELECT p.src, p.dst, p.sim_weight AS weight,
         RANK() OVER (PARTITION BY p.src ORDER BY p.sim_weight * POWER(GREATEST(i.sessions, 1), -{{sim_pop_norm}}) DESC) AS r
  FROM pairs_next p
  JOIN items_next i ON i.item = p.dst
  WHERE p.sim_sessions >= {{min_support}}
) ranked
WHERE r <= {{neighbours}};

-- Popularity over the days the bundle calls recent, with its session count (the same floor).
CREATE TABLE bundle_recent AS
SELECT item, SUM(events) AS events, SUM(sessions) AS sessions
FROM recent_next
GROUP BY item;
