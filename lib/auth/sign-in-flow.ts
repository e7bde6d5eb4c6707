import 'server-only';
import { signInSchema } from './schema';
import { recordSignIn, verifyCredentials, type VerifiedAccount } from './sign-in';

/** Result of one sign-in attempt; messages are i18n keys. */
export type SignInResult =
  | { ok: true; account: VerifiedAccount }
  | { ok: false; messageKey: string; fieldErrors?: Record<string, string[]> };

/**
 * The one sign-in pipeline used by the sign-in page and the next-auth Credentials provider:
 * validate input → check the code name and password → record the sign-in.
 * Every credential failure returns the same message key ('auth.signIn.failed').
 * @param input raw fields ({ codeName, password }) from a form or next-auth
 */
export async function attemptSignIn(input: Record<string, unknown>): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      (fieldErrors[key] ??= []).push(issue.message);
    }
    return { ok: false, messageKey: 'auth.errors.summary', fieldErrors };
  }
  const account = await verifyCredentials(parsed.data);
  if (!account) return { ok: false, messageKey: 'auth.signIn.failed' };
  recordSignIn(account.id);
  return { ok: true, account };
}
