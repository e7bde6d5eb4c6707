/**
 * The one result shape of the data layer and the Server Actions (docs/style.md habit 4; issue 17
 * "one home per rule"). Pure module: no server-only imports, so forms may use the types too.
 *
 * - Success: `{ ok: true, …fields }`.
 * - A refusal: `{ ok: false, code?, messageKey, fieldErrors? }` — nothing was changed.
 *   - `code` is a typed reason the caller branches on (e.g. 'not_found' → 404, 'stale' → reload);
 *     a room whose callers only show the message (sign-in, accounts) uses `Refusal` without a code.
 *   - `messageKey` is an i18n key (lib/i18n/messages.ts namespaces), never text for the user.
 *   - `fieldErrors`: form field name → i18n keys shown beside that field.
 * A room may add fields a caller needs (e.g. `retryAfterSeconds` when throttled) with `&`.
 */

/** Form field name → i18n message keys. */
export type FieldErrors = Record<string, string[]>;

/**
 * A refusal with a typed `code` (`Refusal<'not_found' | 'stale'>`), or without one (`Refusal`).
 * `Key` narrows the message keys when a room knows them all.
 */
export type Refusal<Code extends string = never, Key extends string = string> = {
  ok: false;
  messageKey: Key;
  fieldErrors?: FieldErrors;
} & ([Code] extends [never] ? unknown : { code: Code });

/** `{ ok: true } & T`, or a refusal with one of `Code`. */
export type Outcome<T extends object = object, Code extends string = never, Key extends string = string> =
  | ({ ok: true } & T)
  | Refusal<Code, Key>;

/**
 * Build a refusal with a code. `fieldErrors` is left out when not given (so results compare
 * equal to literals in tests and log lines stay short).
 * @example refuse('stale', 'review.errors.staleVersion')
 */
export function refuse<Code extends string, Key extends string = string>(code: Code, messageKey: Key, fieldErrors?: FieldErrors): Refusal<Code, Key> {
  const base = { ok: false as const, code, messageKey };
  return (fieldErrors ? { ...base, fieldErrors } : base) as Refusal<Code, Key>;
}

/**
 * Build a refusal without a code (rooms whose callers only show the message).
 * @example refusal('accounts.errors.notAllowed')
 */
export function refusal<Key extends string = string>(messageKey: Key, fieldErrors?: FieldErrors): Refusal<never, Key> {
  const base = { ok: false as const, messageKey };
  return (fieldErrors ? { ...base, fieldErrors } : base) as Refusal<never, Key>;
}
