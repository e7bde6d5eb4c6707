ALTER TABLE `audit_events` ADD `count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `last_at` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `collapse_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_collapse_key` ON `audit_events` (`collapse_key`);--> statement-breakpoint
-- audit_events stays append-only (0001_append_only_logs.sql) with two narrow exceptions (issue 16 item 8;
-- docs/security/README.md "Audit and privacy"):
-- 1. A collapsed failed-sign-in row may be bumped: count + 1 and a later last_at within 15 minutes of its
--    first failure, nothing else changed. Every comparison uses IS and the whole test is coalesced, so a
--    NULL can never turn the refusal off.
DROP TRIGGER IF EXISTS audit_events_no_update;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT coalesce((
  OLD.kind IS 'sign_in_failed' AND OLD.collapse_key IS NOT NULL
  AND NEW.id IS OLD.id AND NEW.kind IS OLD.kind
  AND NEW.actor_id IS OLD.actor_id AND NEW.target_account_id IS OLD.target_account_id
  AND NEW.detail IS OLD.detail AND NEW.created_at IS OLD.created_at
  AND NEW.collapse_key IS OLD.collapse_key
  AND NEW.count IS OLD.count + 1
  AND NEW.last_at IS NOT NULL
  AND NEW.last_at >= coalesce(OLD.last_at, OLD.created_at)
  AND NEW.last_at < OLD.created_at + 900000
), 0)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
--> statement-breakpoint
-- 2. Sign-in rows (sign_in, sign_in_failed, sign_out) may be deleted once their last time is more than a
--    day old (the retention sweep, lib/audit/retention.ts, deletes them after AUDIT_SIGN_IN_RETENTION_DAYS,
--    at least 1). Account, role, publication, list and every other row can never be deleted.
DROP TRIGGER IF EXISTS audit_events_no_delete;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT coalesce((
  OLD.kind IN ('sign_in', 'sign_in_failed', 'sign_out')
  AND coalesce(OLD.last_at, OLD.created_at) < unixepoch('subsec') * 1000 - 86400000
), 0)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
