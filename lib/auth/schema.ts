/**
 * Sign-in form schema, shared by the form and the Server Action. Messages are i18n keys (auth.json).
 */
import '@/lib/zod-setup';
import { z } from 'zod';

/** Code names: 2–40 characters of ASCII letters, digits, '.', '_' and '-' (no look-alikes). */
export const CODE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

export const codeNameSchema = z
  .string({ error: 'auth.errors.codeNameRequired' })
  .trim()
  .min(1, { error: 'auth.errors.codeNameRequired', abort: true })
  .min(2, { error: 'auth.errors.codeNameTooShort', abort: true })
  .max(40, { error: 'auth.errors.codeNameTooLong', abort: true })
  .regex(CODE_NAME_PATTERN, 'auth.errors.codeNameCharacters');

export const signInSchema = z
  .object({
    codeName: codeNameSchema,
    // Length-capped only to bound hashing work; never truncated (docs/security/README.md).
    password: z.string({ error: 'auth.errors.passwordRequired' }).min(1, 'auth.errors.passwordRequired').max(1024, 'auth.errors.passwordTooLong'),
    callbackUrl: z.string().max(512).optional(),
  })
  .strip();
export type SignInInput = z.infer<typeof signInSchema>;
