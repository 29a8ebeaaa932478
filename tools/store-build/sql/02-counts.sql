-- localrec store-side build, step 2 of 4: this batch's counts.
--
-- Input: `positioned` and `batch_sessions` (01-sessions.sql). The placeholder `distances` is a
-- derived table (SELECT 1 AS d UNION ALL SELECT 2 AS d ...) of the distances 1 .. max(rule_steps,
-- sim_window). Each session's counts are multiplied by the placeholder `batch_decay`, an
-- expression of the session's `day`: 1 without decay, else POWER(0.5, (last_day - day) / half_life_days).
-- Pair weights are fixed point: each term is rounded to a multiple of 2^-32 (ROUND(w * 4294967296)),
-- so sums of them are exact integers in a DOUBLE (up to 2^53, two million terms of weight 1 per
-- pair): any engine, any summation order, gives the same sums.

-- Per item: events and distinct sessions (the privacy floor counts sessions).
CREATE TABLE batch_items AS
SELECT item, SUM(events * {{batch_decay}}) AS events, COUNT(*) AS sessions
FROM (SELECT item, sid, day, COUNT(*) AS events FROM positioned GROUP BY item, sid, day) per_session
GROUP BY item;

-- Per item and day: events and sessions of the days `recentPopularity` may count.
CREATE TABLE batch_recent AS
SELECT item, day, SUM(events) AS events, COUNT(*) AS sessions
FROM (SELECT item, sid, CAST(FLOOR(time / 86400) AS BIGINT) AS day, COUNT(*) AS events
      FROM positioned GROUP BY item, sid, CAST(FLOOR(time / 86400) AS BIGINT)) per_session
GROUP BY item, day;

-- Every ordered pair (a at position p, b at position p + d) of a session, with
--   rule weight 1/d^2 when d <= rule_steps (self rules a->a included, as session-rec's SR), and
--   similar weight exp(-(d-1)/sim_decay) * len^-sim_length_norm when d <= sim_window and a <> b,
--   added to a->b and, times sim_backward, to b->a (the `backward` row of the pair),
-- summed per session, then per pair with the number of distinct sessions holding it, per graph.
CREATE TABLE batch_pairs AS
SELECT src, dst,
       SUM(rule_w) AS rule_weight,
       CAST(SUM(CASE WHEN rule_w IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS rule_sessions,
       SUM(sim_w) AS sim_weight,
       CAST(SUM(CASE WHEN sim_w IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS sim_sessions
FROM (SELECT sid, src, dst, SUM(rule_w * {{batch_decay}}) AS rule_w, SUM(sim_w * {{batch_decay}}) AS sim_w
      FROM (SELECT a.sid, a.day,
                   CASE WHEN dir.backward = 0 THEN a.item ELSE b.item END AS src,
                   CASE WHEN dir.backward = 0 THEN b.item ELSE a.item END AS dst,
                   CASE WHEN dir.backward = 0 AND x.d <= {{rule_steps}} THEN ROUND(4294967296 / (x.d * x.d)) END AS rule_w,
                   CASE WHEN x.d <= {{sim_window}} AND a.item <> b.item
                        THEN ROUND(EXP(-(x.d - 1) / {{sim_decay}}) * POWER(a.len, -{{sim_length_norm}})
                                   * CASE WHEN dir.backward = 0 THEN 1 ELSE {{sim_backward}} END * 4294967296) END AS sim_w
            FROM positioned a
            CROSS JOIN {{distances}} x
            JOIN positioned b ON b.sid = a.sid AND b.pos = a.pos + x.d
            CROSS JOIN (SELECT 0 AS backward UNION ALL SELECT 1 AS backward) dir
            WHERE a.pos + x.d <= a.len AND (dir.backward = 0 OR (x.d <= {{sim_window}} AND a.item <> b.item))) terms
      GROUP BY sid, src, dst) per_session
GROUP BY src, dst;
