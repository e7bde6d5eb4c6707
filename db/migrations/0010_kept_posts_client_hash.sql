ALTER TABLE `kept_posts` ADD `client_hash` text;--> statement-breakpoint
CREATE INDEX `kept_posts_client_hash` ON `kept_posts` (`client_hash`);