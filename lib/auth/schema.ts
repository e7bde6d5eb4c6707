/**
 * Sign-in form schema, shared by the form and the sign-in flow (lib/auth/sign-in-flow.ts). The code
 * name and the password cap are the accounts' own rules (lib/accounts/schema.ts). Messages are
 * i18n keys (auth.json).
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import { codeNameSchema, NEW_PASSWORD_MAX_LENGTH } from '@/lib/accounts/schema';

export const signInSchema = z
  .object({
    codeName: codeNameSchema,
    // Length-capped only to bound hashing work; never truncated (docs/security/README.md). The cap
    // is the one for choosing a password, so every password that can be set can be typed here.
    password: z.string({ error: 'auth.errors.passwordRequired' }).min(1, 'auth.errors.passwordRequired').max(NEW_PASSWORD_MAX_LENGTH, 'auth.errors.passwordTooLong'),
    callbackUrl: z.string().max(512).optional(),
  })
  .strip();
export type SignInInput = z.infer<typeof signInSchema>;
