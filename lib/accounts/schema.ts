/**
 * Account administration and password rules shared by the admin forms, the invitation page and
 * the server-only data layer (lib/accounts/*.ts). Pure module: no database, safe for client code.
 * Messages are i18n keys: 'accounts.*' (accounts.json) and 'auth.*' (auth.json).
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import { ROLES } from '@/db/enums';
import { codeNameSchema } from '@/lib/auth/schema';
import { COMMON_PASSWORDS } from './common-passwords';

/** Shortest password accepted, in Unicode code points (NIST SP 800-63B §3.1.1.2 counts code points). */
export const NEW_PASSWORD_MIN_LENGTH = 12;
/**
 * Longest password accepted, in UTF-16 code units — the same cap the sign-in form applies, so every
 * password that can be set can also be typed at sign-in. Nothing is ever truncated.
 */
export const NEW_PASSWORD_MAX_LENGTH = 1024;
/** Invitation and reset links expire 72 hours after they are made (issue 6). */
export const INVITATION_LIFETIME_MS = 72 * 3600 * 1000;

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

/**
 * True when a password is too easy to guess: one of the common passwords, the code name itself
 * (in any case, or repeated), or a single character repeated. No composition rules (NIST SP
 * 800-63B); the list is deliberately small — see common-passwords.ts.
 */
export function isWeakPassword(password: string, codeName: string): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const name = codeName.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(lower.trim())) return true;
  if (name && lower.replaceAll(name, '') === '') return true;
  if (new Set(lower).size <= 1) return true;
  return false;
}

/**
 * Schema for choosing a new password (invitation and reset links). Normalises to NFC before the
 * length checks; refuses short, overlong and weak passwords and a confirmation that differs.
 * @param codeName the account's code name (a password equal to it is refused)
 */
export function newPasswordSchema(codeName: string) {
  return z
    .object({
      password: z
        .string({ error: 'auth.password.required' })
        .transform((s) => s.normalize('NFC'))
        .check((ctx) => {
          const value = ctx.value;
          if (value.length === 0) ctx.issues.push({ code: 'custom', message: 'auth.password.required', input: value, continue: false });
          else if (value.length > NEW_PASSWORD_MAX_LENGTH) ctx.issues.push({ code: 'custom', message: 'auth.password.tooLong', input: value, continue: false });
          else if (countCharacters(value) < NEW_PASSWORD_MIN_LENGTH) ctx.issues.push({ code: 'custom', message: 'auth.password.tooShort', input: value, continue: false });
          else if (isWeakPassword(value, codeName)) ctx.issues.push({ code: 'custom', message: 'auth.password.weak', input: value, continue: false });
        }),
      confirmPassword: z.string({ error: 'auth.password.confirmRequired' }).transform((s) => s.normalize('NFC')),
    })
    .strip()
    .superRefine((value, ctx) => {
      if (value.confirmPassword.length === 0) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'auth.password.confirmRequired' });
      else if (value.password !== value.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'auth.password.mismatch' });
    });
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
