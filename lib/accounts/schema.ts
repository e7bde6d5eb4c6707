/**
 * Account administration and password rules shared by the admin forms, the invitation page and
 * the server-only data layer (lib/accounts/*.ts). Pure module: no database, safe for client code.
 * The rules for choosing a password (newPasswordSchema) live in new-password.ts, which is
 * server-only because it reads the 49,233-entry common-password list.
 * Messages are i18n keys: 'accounts.*' (accounts.json) and 'auth.*' (auth.json).
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import { ROLES } from '@/db/enums';

/** Shortest password accepted, in Unicode code points (NIST SP 800-63B §3.1.1.2 counts code points). */
export const NEW_PASSWORD_MIN_LENGTH = 12;
/**
 * Longest password accepted, in UTF-16 code units — the same cap the sign-in form applies, so every
 * password that can be set can also be typed at sign-in. Nothing is ever truncated.
 */
export const NEW_PASSWORD_MAX_LENGTH = 1024;
/** Invitation and reset links expire 72 hours after they are made (issue 6). */
export const INVITATION_LIFETIME_MS = 72 * 3600 * 1000;

/** Code names: 2–40 characters of ASCII letters, digits, '.', '_' and '-' (no look-alikes). */
export const CODE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

/**
 * A code name as typed (sign-in, the admin's "create an account"): trimmed, then 2–40 characters of
 * CODE_NAME_PATTERN. Messages are 'auth.errors.codeName*' keys (auth.json).
 */
export const codeNameSchema = z
  .string({ error: 'auth.errors.codeNameRequired' })
  .trim()
  .min(1, { error: 'auth.errors.codeNameRequired', abort: true })
  .min(2, { error: 'auth.errors.codeNameTooShort', abort: true })
  .max(40, { error: 'auth.errors.codeNameTooLong', abort: true })
  .regex(CODE_NAME_PATTERN, 'auth.errors.codeNameCharacters');

export const roleSchema = z.enum(ROLES, { error: 'accounts.errors.roleInvalid' });

/** The admin's "create an account" form. The code name follows the sign-in rule exactly. */
export const createAccountSchema = z.object({ codeName: codeNameSchema, role: roleSchema }).strict();
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

export const accountIdSchema = z.coerce.number({ error: 'accounts.errors.notFound' }).int().positive('accounts.errors.notFound');

/** The admin's "change role" form. */
export const changeRoleSchema = z.object({ accountId: accountIdSchema, role: roleSchema }).strict();

/** Number of Unicode code points (what a person counts as characters). */
export function countCharacters(text: string): number {
  return [...text].length;
}

/** One-time link tokens: 32 random bytes, base64url without padding (43 characters). */
export const ONE_TIME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Field errors of a zod error, keyed by the first path segment, every message kept. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    const list = (fieldErrors[key] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return fieldErrors;
}
