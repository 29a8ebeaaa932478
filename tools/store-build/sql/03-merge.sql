-- localrec store-side build, step 3 of 4: the kept aggregates plus this batch.
--
-- Input: the kept `items(item, events, sessions)`, `recent(item, day, events, sessions)` and
-- `pairs(src, dst, rule_weight, rule_sessions, sim_weight, sim_sessions)` (empty on a first build),
-- and this batch's counts (02-counts.sql). {{kept_decay}} is what the kept weights are worth
-- now: 1 without decay, else 0.5^((last_day - kept_last_day) / half_life_days). Session counts
-- never decay: they are the privacy floor, a count of real sessions.

CREATE TABLE items_next AS
SELECT item, SUM(events) AS events, CAST(SUM(sessions) AS BIGINT) AS sessions
FROM (SELECT item, events * {{kept_decay}} AS events, sessions FROM items
      UNION ALL
      SELECT item, events, sessions FROM batch_items) both_parts
GROUP BY item;

-- Only the days `recentPopularity` counts are kept.
CREATE TABLE recent_next AS
SELECT item, day, SUM(events) AS events, CAST(SUM(sessions) AS BIGINT) AS sessions
FROM (SELECT item, day, events, sessions FROM recent
      UNION ALL
      SELECT item, day, events, sessions FROM batch_recent) both_parts
WHERE day > {{last_day}} - {{recent_days}}
GROUP BY item, day;

CREATE TABLE pairs_next AS
SELECT src, dst,
       SUM(rule_weight) AS rule_weight, CAST(SUM(rule_sessions) AS BIGINT) AS rule_sessions,
       SUM(sim_weight) AS sim_weight, CAST(SUM(sim_sessions) AS BIGINT) AS sim_sessions
FROM (SELECT src, dst, rule_weight * {{kept_decay}} AS rule_weight, rule_sessions,
             sim_weight * {{kept_decay}} AS sim_weight, sim_sessions
      FROM pairs
      UNION ALL
      SELECT src, dst, rule_weight, rule_sessions, sim_weight, sim_sessions FROM batch_pairs) both_parts
GROUP BY src, dst;
