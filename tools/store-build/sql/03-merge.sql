-- localrec store-side build, step 3 of 4: the kept aggregates plus this batch.
--
-- Input: the kept `items(item, events, sessions)`, `recent(item, day, events, sessions)` and
-- `pairs(src, dst, rule_weight, rule_sessions, sim_weight, sim_sessions)` (empty on a first build),
-- and this batch's counts (02-counts.sql). {{kept_decay}} is what the kept weights are worth
-- now: 1 without decay, else 0.5^((last_day - kept_last_day) / half_life_days). Session counts
-- never decay: they are the privacy floor, a count of real sessions.

-- Both sides hold each key once, so a FULL OUTER JOIN merges them: it holds only the batch's
-- (smaller) side in memory while the kept rows stream past, where a GROUP BY over both would
-- hash every kept pair.

CREATE TABLE items_next AS
SELECT COALESCE(k.item, b.item) AS item,
       COALESCE(k.events * {{kept_decay}}, 0) + COALESCE(b.events, 0) AS events,
       COALESCE(k.sessions, 0) + COALESCE(b.sessions, 0) AS sessions
FROM items k
FULL OUTER JOIN batch_items b ON b.item = k.item;

-- Only the days `recentPopularity` counts are kept.
CREATE TABLE recent_next AS
SELECT COALESCE(k.item, b.item) AS item, COALESCE(k.day, b.day) AS day,
       COALESCE(k.events, 0) + COALESCE(b.events, 0) AS events,
       COALESCE(k.sessions, 0) + COALESCE(b.sessions, 0) AS sessions
FROM recent k
FULL OUTER JOIN batch_recent b ON b.item = k.item AND b.day = k.day
WHERE COALESCE(k.day, b.day) > {{last_day}} - {{recent_days}};

CREATE TABLE pairs_next AS
SELECT COALESCE(k.src, b.src) AS src, COALESCE(k.dst, b.dst) AS dst,
       COALESCE(k.rule_weight * {{kept_decay}}, 0) + COALESCE(b.rule_weight, 0) AS rule_weight,
       COALESCE(k.rule_sessions, 0) + COALESCE(b.rule_sessions, 0) AS rule_sessions,
       COALESCE(k.sim_weight * {{kept_decay}}, 0) + COALESCE(b.sim_weight, 0) AS sim_weight,
       COALESCE(k.sim_sessions, 0) + COALESCE(b.sim_sessions, 0) AS sim_sessions
FROM pairs k
FULL OUTER JOIN batch_pairs b ON b.src = k.src AND b.dst = k.dst;
