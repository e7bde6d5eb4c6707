import { getCurrentAccount } from '@/lib/auth/session';
import { isCallOfAccount } from '@/lib/auth/tab-owner';
import { isSameOriginRequest } from '@/lib/http/origin';
import type { PhotoErrorCode } from '@/lib/photos/outcomes';
import { addPhoto, countPhotos, listPhotos } from '@/lib/photos/photos';
import type { ListedPhoto } from '@/lib/photos/photo-uploader';
import { readUploadForm } from '@/lib/photos/upload-request';
import { OWNER_HINT_HEADER } from '@/lib/reports/owner-hint';

/** HTTP status of each refusal in a JSON answer (the form gets a 303 either way). */
const STATUS: Partial<Record<PhotoErrorCode, number>> = {
  too_large: 413,
  too_many: 409,
  not_editable: 409,
  incomplete: 400,
  no_file: 400,
  signed_out: 401,
  other_account: 401,
};

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

function json(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * POST /partner/reports/<id>/photos/upload — one photo (field `photo`) with an optional caption
 * and its client photo id (`clientId`, a UUID: lib/photos/client-id.ts), as multipart/form-data.
 * The plain HTML form on the photos page posts here without JavaScript (the server made its
 * `clientId` into the form) and gets a 303 back to that page with `?done=uploaded` or
 * `?error=<code>`; the enhanced pages send each file with XMLHttpRequest and
 * `Accept: application/json` and get `{ ok: true, photoId, repeated, photos }` (201 when stored
 * now, 200 when an earlier try with the same `clientId` stored it: the same `photoId`, nothing
 * stored again; `photos`: the report's list, `{ id, width, height, caption }` oldest first, so
 * the page shows it without reloading) or `{ ok: false, error: <code> }`.
 *
 * Order (docs/style.md): same origin → who is calling (a partner, from a page rendered for them:
 * the owner hint in OWNER_HINT_HEADER, or in the form's KEPT_OWNER_FIELD, must be theirs, else the
 * answer is the ended session's, lib/auth/tab-owner.ts) → may they (their own report; others
 * get 404 before the body is read) → body capped by Content-Length and while streaming
 * (MAX_UPLOAD_BODY_BYTES) → `addPhoto` (editable, count, sanitise in memory, store, commit).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  if (!isSameOriginRequest(request)) return text(403, 'Cross-site request refused.');
  if (!/^\d{1,15}$/.test(id)) return text(404, 'Not found.');
  const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
  const page = `/partner/reports/${id}/photos`;
  const refuse = (code: PhotoErrorCode) =>
    wantsJson ? json(STATUS[code] ?? 422, { ok: false, error: code }) : seeOther(`${page}?error=${code}`);

  const account = await getCurrentAccount();
  if (!account) return wantsJson ? refuse('signed_out') : seeOther(`/sign-in?callbackUrl=${encodeURIComponent(page)}`);
  if (account.role !== 'partner') return text(403, 'Only partners can add photos to their reports.');
  // Sent from a page of another account than the one signed in (lib/auth/tab-owner.ts): answered
  // like an ended session, nothing stored. Scripts name the hint in a header (checked before the
  // report is looked up: the photo's own report is then another account's); the no-script form
  // posts it as a field.
  const otherAccount = () => (wantsJson ? refuse('other_account') : seeOther(`/sign-in?callbackUrl=${encodeURIComponent(page)}`));
  const hintHeader = request.headers.get(OWNER_HINT_HEADER);
  if (hintHeader !== null && !isCallOfAccount({ accountId: account.id, hint: hintHeader })) return otherAccount();
  if (countPhotos({ actor: account, reportId: id }) === null) return text(404, 'Not found.');

  const form = await readUploadForm(request);
  if (!form.ok) return refuse(form.code);
  if (hintHeader === null && !isCallOfAccount({ accountId: account.id, hint: form.ownerHint })) return otherAccount();
  const result = await addPhoto({ actor: account, reportId: id, bytes: form.file, caption: form.caption, clientId: form.clientId });
  if (!result.ok) return result.code === 'not_found' ? text(404, 'Not found.') : refuse(result.code);
  if (!wantsJson) return seeOther(`${page}?done=uploaded`);
  const listed = listPhotos({ actor: account, reportId: id });
  const photos: ListedPhoto[] = listed.ok ? listed.photos.map(({ id: photoId, width, height, caption }) => ({ id: photoId, width, height, caption })) : [];
  return json(result.repeated ? 200 : 201, { ok: true, photoId: result.photo.id, repeated: result.repeated, photos });
}
