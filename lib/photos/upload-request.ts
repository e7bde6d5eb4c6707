/**
 * Reading one photo upload from a multipart POST without ever holding more than the cap in
 * memory: the declared Content-Length is checked before reading, and the stream is cut off as
 * soon as it passes the cap (a client may send no length, or lie). The upload stays in memory;
 * nothing here touches the disk. Used by the upload Route Handler; no database, no session.
 */
import { KEPT_OWNER_FIELD } from '@/lib/reports/owner-hint';
import { parseClientPhotoId, UPLOAD_CAPTION_FIELD, UPLOAD_CLIENT_ID_FIELD, UPLOAD_FILE_FIELD } from './client-id';
import { MAX_UPLOAD_BODY_BYTES } from './outcomes';
import { MAX_PHOTO_BYTES } from './rules';


export type CappedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: 'too_large' | 'incomplete' };

/**
 * Read a request body of at most `maxBytes` bytes.
 * @returns the bytes, or `too_large` (declared or streamed length over the cap; reading stops
 *   there) or `incomplete` (fewer bytes than the declared Content-Length, or the stream failed:
 *   an interrupted upload).
 */
export async function readCappedBody(request: Request, maxBytes: number): Promise<CappedBody> {
  const declaredHeader = request.headers.get('content-length');
  const declared = declaredHeader !== null && /^\d{1,15}$/.test(declaredHeader) ? Number(declaredHeader) : null;
  if (declared !== null && declared > maxBytes) return { ok: false, reason: 'too_large' };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'incomplete' };
  }
  if (declared !== null && total !== declared) return { ok: false, reason: 'incomplete' };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

export type UploadForm =
  | { ok: true; file: Buffer; caption: string; clientId: string | null; ownerHint: string | null }
  | { ok: false; code: 'too_large' | 'incomplete' | 'no_file' };

/**
 * Read the upload form (multipart/form-data with one file in `photo`, an optional `caption` and
 * an optional `clientId`, the client photo id of client-id.ts), capped at MAX_UPLOAD_BODY_BYTES
 * (one photo of MAX_PHOTO_BYTES plus framing).
 * @returns the file's bytes (in memory), the caption as typed (the data layer cleans and checks
 *   it), the client photo id (lower case; null when none was sent) and the page's owner hint
 *   (KEPT_OWNER_FIELD, as posted by the no-script form; null when none), or `too_large`,
 *   `incomplete` (cut short or not parseable, or a `clientId` that is not a UUID: only a broken
 *   or tampered client sends one), `no_file` (not multipart, or no file chosen).
 */
export async function readUploadForm(request: Request): Promise<UploadForm> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) return { ok: false, code: 'no_file' };
  const body = await readCappedBody(request, MAX_UPLOAD_BODY_BYTES);
  if (!body.ok) return { ok: false, code: body.reason };

  let form: FormData;
  try {
    form = await new Response(body.bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false, code: 'incomplete' };
  }
  const file = form.get(UPLOAD_FILE_FIELD);
  // A form sent with no file chosen still carries the field: an empty part with an empty name.
  if (!(file instanceof Blob) || (file.size === 0 && (!(file instanceof File) || file.name === ''))) {
    return { ok: false, code: 'no_file' };
  }
  if (file.size > MAX_PHOTO_BYTES) return { ok: false, code: 'too_large' };
  const clientId = parseClientPhotoId(form.get(UPLOAD_CLIENT_ID_FIELD));
  if (!clientId.ok) return { ok: false, code: 'incomplete' };
  const caption = form.get(UPLOAD_CAPTION_FIELD);
  const ownerHint = form.get(KEPT_OWNER_FIELD);
  return {
    ok: true,
    file: Buffer.from(await file.arrayBuffer()),
    caption: typeof caption === 'string' ? caption : '',
    clientId: clientId.clientId,
    ownerHint: typeof ownerHint === 'string' ? ownerHint : null,
  };
}
