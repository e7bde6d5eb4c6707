CREATE TABLE `deleted_drafts` (
	`client_id` text PRIMARY KEY NOT NULL,
	`author_id` integer NOT NULL,
	`deleted_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
