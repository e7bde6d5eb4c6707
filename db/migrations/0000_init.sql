CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code_name` text NOT NULL,
	`role` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`password_hash` text,
	`session_version` integer DEFAULT 1 NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`totp_secret` text,
	`totp_last_step` integer,
	`is_demo` integer DEFAULT false NOT NULL,
	`last_sign_in_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_code_name_nocase` ON `accounts` ("code_name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `agencies` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name_en` text NOT NULL,
	`name_ko` text NOT NULL,
	`note` text,
	`retired_at` integer,
	`merged_into` text
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`target_account_id` integer,
	`detail` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_events_created` ON `audit_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_kind` ON `audit_events` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `goods_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_ko` text NOT NULL,
	`retired_at` integer,
	`merged_into` text
);
--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash_unique` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_account` ON `invitations` (`account_id`);--> statement-breakpoint
CREATE TABLE `message_reads` (
	`account_id` integer NOT NULL,
	`report_id` integer NOT NULL,
	`last_read_message_id` integer NOT NULL,
	PRIMARY KEY(`account_id`, `report_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`storage_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`caption` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `photos_storage_name_unique` ON `photos` (`storage_name`);--> statement-breakpoint
CREATE INDEX `photos_report` ON `photos` (`report_id`);--> statement-breakpoint
CREATE TABLE `places` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`country` text NOT NULL,
	`parent_id` text,
	`name_en` text NOT NULL,
	`name_ko` text NOT NULL,
	`lat` real,
	`lon` real,
	`retired_at` integer,
	`merged_into` text
);
--> statement-breakpoint
CREATE INDEX `places_parent` ON `places` (`parent_id`);--> statement-breakpoint
CREATE TABLE `publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`public_id` text NOT NULL,
	`status` text NOT NULL,
	`snapshot` text NOT NULL,
	`place_id` text,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` integer NOT NULL,
	`retracted_at` integer,
	`retraction_reason` text,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `publications_report_id_unique` ON `publications` (`report_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `publications_public_id_unique` ON `publications` (`public_id`);--> statement-breakpoint
CREATE INDEX `publications_status_published` ON `publications` (`status`,`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `publications_status_period` ON `publications` (`status`,`period_start`);--> statement-breakpoint
CREATE TABLE `published_agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`publication_id` integer NOT NULL,
	`agency_id` text,
	`name` text NOT NULL,
	`role` text NOT NULL,
	FOREIGN KEY (`publication_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `published_agencies_publication` ON `published_agencies` (`publication_id`);--> statement-breakpoint
CREATE TABLE `published_goods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`publication_id` integer NOT NULL,
	`category_id` text NOT NULL,
	`direction` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`quantity` real,
	`unit` text,
	`value` real,
	`currency` text,
	FOREIGN KEY (`publication_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `published_goods_publication` ON `published_goods` (`publication_id`);--> statement-breakpoint
CREATE TABLE `published_vehicles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`publication_id` integer NOT NULL,
	`week_start` integer NOT NULL,
	`vehicle_type` text NOT NULL,
	`direction` text NOT NULL,
	`count` integer NOT NULL,
	`is_estimate` integer NOT NULL,
	`colours` text DEFAULT '' NOT NULL,
	`cargo` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`publication_id`) REFERENCES `publications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `published_vehicles_publication` ON `published_vehicles` (`publication_id`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recovery_codes_account` ON `recovery_codes` (`account_id`);--> statement-breakpoint
CREATE TABLE `report_agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`position` integer NOT NULL,
	`agency_id` text,
	`other_name` text,
	`role` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_agencies_report` ON `report_agencies` (`report_id`,`position`);--> statement-breakpoint
CREATE INDEX `report_agencies_agency` ON `report_agencies` (`agency_id`);--> statement-breakpoint
CREATE TABLE `report_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_events_report` ON `report_events` (`report_id`,`id`);--> statement-breakpoint
CREATE TABLE `report_goods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`position` integer NOT NULL,
	`category_id` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`direction` text NOT NULL,
	`quantity` real,
	`unit` text,
	`value` real,
	`currency` text,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `goods_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_goods_report` ON `report_goods` (`report_id`,`position`);--> statement-breakpoint
CREATE INDEX `report_goods_category` ON `report_goods` (`category_id`);--> statement-breakpoint
CREATE TABLE `report_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`other_report_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`other_report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_links_pair` ON `report_links` (`report_id`,`other_report_id`);--> statement-breakpoint
CREATE INDEX `report_links_other` ON `report_links` (`other_report_id`);--> statement-breakpoint
CREATE TABLE `report_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`is_internal` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_messages_report` ON `report_messages` (`report_id`,`id`);--> statement-breakpoint
CREATE TABLE `report_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`kind` text NOT NULL,
	`before` text,
	`after` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_revisions_report` ON `report_revisions` (`report_id`,`id`);--> statement-breakpoint
CREATE TABLE `report_vehicles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`position` integer NOT NULL,
	`vehicle_type` text NOT NULL,
	`count` integer NOT NULL,
	`is_estimate` integer DEFAULT false NOT NULL,
	`direction` text NOT NULL,
	`colours` text DEFAULT '' NOT NULL,
	`cargo` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `report_vehicles_report` ON `report_vehicles` (`report_id`,`position`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` text NOT NULL,
	`author_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`observed_from` integer,
	`observed_to` integer,
	`time_zone` text DEFAULT 'Asia/Pyongyang' NOT NULL,
	`time_note` text DEFAULT '' NOT NULL,
	`place_id` text,
	`place_detail` text DEFAULT '' NOT NULL,
	`place_precision` text,
	`title` text DEFAULT '' NOT NULL,
	`narrative` text DEFAULT '' NOT NULL,
	`source_type` text,
	`safety_note` text DEFAULT '' NOT NULL,
	`source_reliability` text,
	`information_credibility` text,
	`grade_note` text,
	`claimed_by` integer,
	`claimed_at` integer,
	`submitted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`place_id`) REFERENCES `places`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_client_id_unique` ON `reports` (`client_id`);--> statement-breakpoint
CREATE INDEX `reports_author_updated` ON `reports` (`author_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `reports_status_submitted` ON `reports` (`status`,`submitted_at`,`id`);--> statement-breakpoint
CREATE INDEX `reports_submitted` ON `reports` (`submitted_at`,`id`);--> statement-breakpoint
CREATE INDEX `reports_observed` ON `reports` (`observed_from`,`id`);--> statement-breakpoint
CREATE INDEX `reports_place_observed` ON `reports` (`place_id`,`observed_from`);--> statement-breakpoint
CREATE INDEX `reports_claimed` ON `reports` (`claimed_by`);