-- Index proposals for the moderation queue (budget 2), for bench/what-if.ts. Applied nowhere:
-- the schema (db/schema.ts) is not the benchmark's to change.

-- "Reports awaiting editors" (lib/review/queue.ts countAwaitingEditors):
--   count(*) WHERE status = 'submitted' AND claimed_by IS NULL
-- reads every submitted row from the table today; with this it counts inside one index range.
CREATE INDEX reports_status_claimed ON reports (status, claimed_by);

-- Only if the queue keeps sorting on coalesce(submitted_at, created_at) / coalesce(observed_from, 0).
-- Better: sort on the plain columns (every report past draft has both), which the existing
-- reports_submitted / reports_status_submitted / reports_observed indexes already serve.
CREATE INDEX reports_queue_submitted ON reports (coalesce(submitted_at, created_at), id);
CREATE INDEX reports_queue_observed ON reports (coalesce(observed_from, 0), id);
