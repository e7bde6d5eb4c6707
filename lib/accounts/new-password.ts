/**
 * The rules for choosing a password (invitation, reset and bootstrap links): NIST SP 800-63B
 * §3.1.1.2 — at least 12 characters, at most 1,024, no composition rules, nothing truncated, and
 * not a commonly used password (common-passwords.ts). Server-only: the common-password list must
 * never reach a browser bundle; the lengths themselves are in schema.ts for any form to show.
 */
import 'server-only';
import '@/lib/zod-setup';
import { z } from 'zod';
import { isCommonPassword } from './common-passwords';
import { countCharacters, NEW_PASSWORD_MAX_LENGTH, NEW_PASSWORD_MIN_LENGTH } from './schema';

/**
 * True when a password is too easy to guess: a commonly used password or a context word (the
 * service, its region, the demo passwords, famous example passphrases) or the code name — each
 * in any case, padded with digits or punctuation, repeated, or with its separators dropped
 * (common-passwords.ts) — or a single character repeated. No composition rules (NIST SP 800-63B).
 * @param password the password as typed
 * @param codeName the account's code name
 */
export function isWeakPassword(password: string, codeName: string): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const name = codeName.toLowerCase();
  if (name && lower.replaceAll(name, '') === '') return true;
  if (new Set(lower).size <= 1) return true;
  return isCommonPassword(lower, name);
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
