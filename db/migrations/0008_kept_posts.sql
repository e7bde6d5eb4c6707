CREATE TABLE `kept_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`account_id` integer,
	`kind` text NOT NULL,
	`fields` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kept_posts_token_hash_unique` ON `kept_posts` (`token_hash`);--> statement-breakpoint
CREATE INDEX `kept_posts_expires_at` ON `kept_posts` (`expires_at`);--> statement-breakpoint
CREATE INDEX `kept_posts_account_id` ON `kept_posts` (`account_id`);