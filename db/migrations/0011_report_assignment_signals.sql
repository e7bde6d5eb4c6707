ALTER TABLE `report_events` ADD `partner_note` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `assignee_unread_at` integer;