-- localrec store-side build: the inputs of the lifecycle fits (tools/fit-lifecycle.ts), per customer.
--
-- Input: `purchases(customer_id STRING, day BIGINT days since 1970-01-01 UTC, amount DOUBLE)`.
-- As src/core/lifecycle/cohort.ts: purchases on the same day are one purchase; a customer's
-- first purchase day must be on or before the calibration end ({{calibration_end}}); frequency =
-- repeat purchase days, recency = last - first purchase day, T = calibration end - first purchase
-- day, both in units of {{time_unit_days}} days; monetary_value = the mean of the repeat days'
-- amounts (0 without repeats, as summary files write it). The output has the columns of a summary file
-- (`fit-lifecycle --format cdnow-summary`).

CREATE TABLE customer_days AS
SELECT customer_id, day, SUM(amount) AS amount
FROM purchases
WHERE day <= {{calibration_end}}
GROUP BY customer_id, day;

CREATE TABLE customers AS
SELECT customer_id AS ID,
       COUNT(*) - 1 AS frequency,
       (MAX(day) - MIN(day)) / {{time_unit_days}} AS recency,
       ({{calibration_end}} - MIN(day)) / {{time_unit_days}} AS T,
       COALESCE(AVG(CASE WHEN day_number > 1 THEN amount END), 0) AS monetary_value
FROM (SELECT customer_id, day, amount,
             ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY day) AS day_number
      FROM customer_days) numbered
GROUP BY customer_id;
