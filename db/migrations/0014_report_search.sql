-- Issue 19: full-text search in the moderation queue (docs/decisions/0012-queue-search.md).
-- One document per report past draft (rowid = reports.id): its title, narrative, place detail, time
-- note, row notes (vehicles' colours and cargo, goods' descriptions, agencies' names and notes), the
-- messages with the partner and the editors' internal notes. Trigram tokens: Korean has no spaces
-- between many morphemes, and a part of a word must match. Text is NFC-normalised on the way in by
-- fr_nfc (a function every connection registers: db/client.ts registerSqlFunctions).
CREATE VIRTUAL TABLE report_search USING fts5(title, narrative, place_detail, time_note, row_notes, messages, notes, tokenize = 'trigram');
--> statement-breakpoint
-- Reports whose document must be rebuilt before the writing transaction commits (db/search-index.ts,
-- run by db/client.ts writeTransaction): the triggers below only note the report, so a submission
-- that writes a report and twenty rows rebuilds its document once, not twenty-one times.
CREATE TABLE report_search_pending (report_id integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
-- Backfill: every report past draft.
INSERT INTO report_search (rowid, title, narrative, place_detail, time_note, row_notes, messages, notes)
  SELECT r.id, fr_nfc(r.title), fr_nfc(r.narrative), fr_nfc(r.place_detail), fr_nfc(r.time_note),
    fr_nfc(concat_ws(char(10),
      (SELECT group_concat(trim(v.colours || ' ' || v.cargo), char(10) ORDER BY v.position) FROM report_vehicles v WHERE v.report_id = r.id),
      (SELECT group_concat(g.description, char(10) ORDER BY g.position) FROM report_goods g WHERE g.report_id = r.id),
      (SELECT group_concat(trim(coalesce(a.other_name, '') || ' ' || a.note), char(10) ORDER BY a.position) FROM report_agencies a WHERE a.report_id = r.id))),
    fr_nfc(coalesce((SELECT group_concat(m.body, char(10) ORDER BY m.id) FROM report_messages m WHERE m.report_id = r.id AND m.is_internal = 0), '')),
    fr_nfc(coalesce((SELECT group_concat(m.body, char(10) ORDER BY m.id) FROM report_messages m WHERE m.report_id = r.id AND m.is_internal = 1), ''))
  FROM reports r WHERE r.status <> 'draft';
--> statement-breakpoint
CREATE TRIGGER report_search_reports_insert AFTER INSERT ON reports WHEN NEW.status <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_reports_update AFTER UPDATE OF status, title, narrative, place_detail, time_note ON reports
WHEN NEW.status <> 'draft' OR OLD.status <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_reports_delete AFTER DELETE ON reports BEGIN
DELETE FROM report_search WHERE rowid = OLD.id;
DELETE FROM report_search_pending WHERE report_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER report_search_vehicles_insert AFTER INSERT ON report_vehicles
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_vehicles_update AFTER UPDATE ON report_vehicles
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_vehicles_delete AFTER DELETE ON report_vehicles
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (OLD.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_goods_insert AFTER INSERT ON report_goods
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_goods_update AFTER UPDATE ON report_goods
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_goods_delete AFTER DELETE ON report_goods
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (OLD.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_agencies_insert AFTER INSERT ON report_agencies
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_agencies_update AFTER UPDATE ON report_agencies
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_agencies_delete AFTER DELETE ON report_agencies
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (OLD.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_messages_insert AFTER INSERT ON report_messages
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_messages_update AFTER UPDATE ON report_messages
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (NEW.report_id);
END;
--> statement-breakpoint
CREATE TRIGGER report_search_messages_delete AFTER DELETE ON report_messages
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) <> 'draft' BEGIN
INSERT OR IGNORE INTO report_search_pending (report_id) VALUES (OLD.report_id);
END;
