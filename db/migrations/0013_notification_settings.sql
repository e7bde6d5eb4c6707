CREATE TABLE `notification_settings` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`interval_hours` integer NOT NULL,
	`last_digest_at` integer NOT NULL,
	`last_event_id` integer DEFAULT 0 NOT NULL,
	`last_message_id` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
