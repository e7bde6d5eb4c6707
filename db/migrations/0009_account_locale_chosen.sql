-- Whether an account's interface language was chosen (lib/i18n/README.md). Accounts already in a
-- language other than the default were switched to it by someone: counted as chosen.
ALTER TABLE `accounts` ADD `locale_chosen` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `accounts` SET `locale_chosen` = true WHERE `locale` <> 'en';
