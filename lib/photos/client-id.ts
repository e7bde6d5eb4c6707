/**
 * The client photo id (issue 18 item 6): a random UUID that names one photo the partner picked,
 * made before its first upload, sent with every try, so the server stores the photo once per
 * report however often the upload is retried (docs/security/README.md "Durability": retries are
 * idempotent by a client-made id with a UNIQUE constraint, here `photos (report_id, client_id)`).
 *
 * With scripts the browser makes one per picked file (photo-queue.ts); without them the server
 * makes one into the upload form as a hidden field, so a form the browser sends again is one photo
 * too. Pure: no server-only imports (client forms use it).
 */

/** Name of the client photo id field of the upload form. */
export const UPLOAD_CLIENT_ID_FIELD = 'clientId';
/**
 * Name of the file field of the upload form. Here, not in upload-request.ts (the server's reader),
 * so the browser's uploader names it without bundling that reader and Node's Buffer with it.
 */
export const UPLOAD_FILE_FIELD = 'photo';
/** Name of the caption field of the upload form. */
export const UPLOAD_CAPTION_FIELD = 'caption';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A fresh random version-4 UUID (122 random bits) in lower case. Built from
 * `crypto.getRandomValues`, which browsers offer outside secure contexts too (unlike
 * `crypto.randomUUID`: a phone on a plain-HTTP onion address still gets one). RFC 9562 §5.4.
 */
export function newClientPhotoId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Read a client photo id from a form field or argument.
 * @returns `{ ok: true, clientId }` — the UUID in lower case (any version is accepted, written in
 *   either case), or null when none was sent (missing or empty: such an upload is stored each time
 *   it arrives, as before the id existed) — or `{ ok: false }` for anything else (not a UUID).
 */
export function parseClientPhotoId(value: unknown): { ok: true; clientId: string | null } | { ok: false } {
  if (value === undefined || value === null || value === '') return { ok: true, clientId: null };
  if (typeof value !== 'string' || value.length !== 36) return { ok: false };
  const clientId = value.toLowerCase();
  return UUID.test(clientId) ? { ok: true, clientId } : { ok: false };
}
