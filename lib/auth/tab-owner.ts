import 'server-only';
import { KEPT_OWNER_FIELD } from '@/lib/reports/owner-hint';
import { isOwnerHintOf } from '@/lib/reports/kept-post-owner';

/**
 * Every call a partner's page makes is bound to the account the page was rendered for
 * (docs/security/device-copies.md "A page of another account"): on a shared phone a tab of
 * partner A that is still open after partner B signed in sends B's session cookie with A's work
 * (autosave on focus, the photo queue, the outbox, a no-script form post). The page carries A's
 * owner hint (lib/reports/kept-post-owner.ts: an HMAC of the account id under the server's secret,
 * rendered by the partner layout), and every partner Server Action (lib/http/area-action.ts), the
 * photo upload route and proxy.ts's no-script path compare it with the session's account here.
 * A call whose hint is not the caller's — another account's, or none — is answered exactly like
 * one whose session has ended: nothing is written under the current account.
 */

/** Why a partner call is answered as signed out: no session of the area, or a page of another account. */
export type SignedOutReason = 'signedOut' | 'otherAccount';

/**
 * Whether a call carrying `hint` comes from a page rendered for `accountId`.
 * @param accountId the session's account
 * @param hint the call's owner hint as posted (anything; missing or malformed is false)
 */
export function isCallOfAccount({ accountId, hint }: { accountId: number; hint: unknown }): boolean {
  return isOwnerHintOf(hint, accountId);
}

/** The owner hint a form post carries (KEPT_OWNER_FIELD), or null. */
export function ownerHintOfForm(formData: FormData): string | null {
  const hint = formData.get(KEPT_OWNER_FIELD);
  return typeof hint === 'string' ? hint : null;
}

/**
 * A scripted call's value split into its owner hint and the value the action reads
 * (lib/reports/kept-post-fields.ts withOwnerHint puts the hint in): a plain object loses its
 * KEPT_OWNER_FIELD; anything else is passed on as it is, with no hint.
 */
export function takeOwnerHint(value: unknown): { hint: unknown; value: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !(KEPT_OWNER_FIELD in value)) return { hint: null, value };
  const { [KEPT_OWNER_FIELD]: hint, ...rest } = value as Record<string, unknown>;
  return { hint, value: rest };
}
