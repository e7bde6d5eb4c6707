CREATE TABLE `official_trade_confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`authority` text NOT NULL,
	`month` text NOT NULL,
	`basis` text NOT NULL,
	`note` text NOT NULL,
	`admin_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`admin_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `official_trade_confirmations_month` ON `official_trade_confirmations` (`authority`,`month`,`id`);--> statement-breakpoint
CREATE TABLE `official_trade_figures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`authority` text NOT NULL,
	`month` text NOT NULL,
	`flow` text NOT NULL,
	`value` text NOT NULL,
	`unit` text NOT NULL,
	`yoy_change_pct` text,
	`source_name` text NOT NULL,
	`source_url` text,
	`revision` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`replaced_at` integer,
	FOREIGN KEY (`import_id`) REFERENCES `official_trade_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `official_trade_figures_current` ON `official_trade_figures` (`authority`,`month`,`flow`) WHERE replaced_at IS NULL;--> statement-breakpoint
CREATE INDEX `official_trade_figures_key` ON `official_trade_figures` (`authority`,`month`,`flow`,`revision`);--> statement-breakpoint
CREATE TABLE `official_trade_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`admin_id` integer NOT NULL,
	`status` text NOT NULL,
	`file_name` text NOT NULL,
	`file_sha256` text NOT NULL,
	`rows` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`stored_at` integer,
	FOREIGN KEY (`admin_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `official_trade_imports_admin` ON `official_trade_imports` (`admin_id`,`status`);