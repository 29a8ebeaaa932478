-- localrec store-side build: the fit's window.
--
-- The ranker's weights are fitted by replaying recent sessions (src/core/sequence/fit.ts), which
-- needs the sessions themselves, so the build keeps the most recent ones, at most
-- {{window_events}} events: sessions by their last event, newest first (equal ends: the later
-- one in the file first), while the running count of events stays within the bound.
-- Input: the kept `window_events(session_id, item_id, time, seq)` and this batch's `events`, its
-- seq shifted past the kept ones by {{seq_offset}}.

CREATE TABLE window_next AS
WITH window_all AS (
  SELECT session_id, item_id, time, seq FROM window_events
  UNION ALL
  SELECT session_id, item_id, time, seq + {{seq_offset}} AS seq FROM events
)
SELECT w.session_id, w.item_id, w.time, w.seq
FROM window_all w
JOIN (SELECT session_id,
             SUM(len) OVER (ORDER BY end_time DESC, first_seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
      FROM (SELECT session_id, COUNT(*) AS len, MAX(time) AS end_time, MIN(seq) AS first_seq
            FROM window_all GROUP BY session_id) per_session) kept
  ON kept.session_id = w.session_id
WHERE kept.running <= {{window_events}};
