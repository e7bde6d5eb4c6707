ALTER TABLE `photos` ADD `client_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `photos_report_client_id` ON `photos` (`report_id`,`client_id`);