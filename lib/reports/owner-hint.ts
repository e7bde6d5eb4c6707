/**
 * The owner hint's names on the wire (lib/reports/kept-post-owner.ts makes the hint, lib/auth/
 * tab-owner.ts checks it): the field and header every call of a partner's page carries, and the
 * helper that binds a scripted value to it. No imports: safe in every page's first-load script.
 */

/**
 * The hidden field every kept partner form carries (report form, reply form): an owner hint, an
 * HMAC of the signed-in account's id (lib/reports/kept-post-owner.ts), so a post kept after the
 * cookie has gone is still bound to its author. Never kept, never shown back, skipped by
 * parseReportFormData. The leading `_` makes the session-ended and sealed pages treat it as technical.
 */
export const KEPT_OWNER_FIELD = '_keptOwner';

/**
 * The request header a script's photo upload names its tab's owner hint in (the upload's body is
 * read only after the report is found; lib/auth/tab-owner.ts). The no-script upload form posts the
 * hint as KEPT_OWNER_FIELD instead.
 */
export const OWNER_HINT_HEADER = 'x-fr-owner';

/**
 * A scripted Server Action's value bound to the account its tab was rendered for (autosave, the
 * outbox, "what became of my report"): `value` with KEPT_OWNER_FIELD set to `hint`. The server
 * takes the field off again before the data layer sees the value (lib/auth/tab-owner.ts).
 * @param value the action's value (an object: the report form's values)
 * @param hint the tab's owner hint (app/(partner)/partner/_device/kept-owner.tsx), or null outside
 *   the partner layout (the call is then refused like one from an ended session)
 */
export function withOwnerHint<T extends object>(value: T, hint: string | null): T {
  return hint === null ? value : { ...value, [KEPT_OWNER_FIELD]: hint };
}
