import type { NextRequest } from 'next/server';
import { getCurrentAccount } from '@/lib/auth/session';
import { getPhotoForViewer } from '@/lib/photos/photos';
import { getPublicPhoto } from '@/lib/publishing/public-photos';
import { makeThumbnail } from '@/lib/photos/thumbnail';
import {
  isNotModified,
  NO_STORE_CACHE_CONTROL,
  notModifiedResponse,
  PRIVATE_NO_STORE_CACHE_CONTROL,
  publicCacheHeaders,
} from '@/lib/publishing/http-cache';
import { PHOTO_PUBLIC_ID_PATTERN } from '@/lib/publishing/public-photos';

export const dynamic = 'force-dynamic';

/** A short plain-text answer that no cache keeps and no browser sniffs. */
function plainText(status: 404 | 500, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': NO_STORE_CACHE_CONTROL, 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Headers every photo answer carries: server-set type, no sniffing, inline under a server-made name. */
function photoHeaders(mimeType: string, length: number, fileName: string): Record<string, string> {
  return {
    'Content-Type': mimeType,
    'Content-Length': String(length),
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `inline; filename="${fileName}"`,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function unreadable(label: string, message: string): Response {
  console.error(`photos: photo ${label} not served: ${message}`);
  return plainText(500, 'This photo could not be read.');
}

/**
 * GET /photos/<id>[?size=thumb] — the one route that serves photo files (issue 7; docs/security/README.md
 * "Uploads" and "Public output"). Two kinds of id, told apart by their shape:
 *
 * - **Public id** (16 base64url characters, random, given when an editor publishes; issue 16
 *   item 12): served to anyone while the photo is part of a live publication
 *   (`getPublicPhoto`), without looking at the session. `Cache-Control: public, max-age=0,
 *   s-maxage=50, must-revalidate` with a strong ETag and Last-Modified (lib/publishing/http-cache.ts):
 *   browsers revalidate on every use and get 304 while nothing changed; once the publication is
 *   retracted or republished without the photo the same URL answers 404 `no-store`, the same answer
 *   as for an id that never existed (so a retracted URL is not told apart from a guessed one).
 * - **Internal id** (`photos.id`, digits): for the partner who filed the report and editors/admins
 *   only (`getPhotoForViewer`), `private, no-store`; 404 for everyone else, published or not, so
 *   sequential ids reveal nothing to readers.
 *
 * Anything else is 404, never 403. The type comes from the server's row (never from the upload or
 * the file name), with `nosniff` and an inline Content-Disposition under a server-made file name
 * (a public one names the public id, never the internal one). `size=thumb` gives a copy at most
 * 480 px on its longest side, made in memory from the decrypted photo and never stored.
 *
 * Photo files are ciphertext on disk (docs/security/encryption-at-rest.md); one that does not open
 * (damaged, renamed, sealed with another key) is answered 500 "This photo could not be read."
 * with none of its bytes, and the log line names the file (`uploads/<name>`), never its content.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ photoId: string }> }): Promise<Response> {
  const { photoId } = await params;
  const isThumbnail = request.nextUrl.searchParams.get('size') === 'thumb';
  const suffix = isThumbnail ? '-thumb' : '';

  if (PHOTO_PUBLIC_ID_PATTERN.test(photoId)) {
    const found = getPublicPhoto({ publicId: photoId });
    if (!found.ok) return plainText(404, 'Not found.');
    const { photo } = found;
    const validators = photo.validators[isThumbnail ? 'thumb' : 'full'];
    // Decided before the file is read: a revalidation costs no decryption.
    if (isNotModified(request.headers, validators)) return notModifiedResponse(validators);
    const file = await photo.open();
    if (!file.ok && file.reason === 'unreadable') return unreadable(photo.publicId, file.message);
    if (!file.ok) return plainText(404, 'Not found.');
    const body = isThumbnail ? await makeThumbnail({ data: file.data, mimeType: photo.mimeType }) : file.data;
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: { ...photoHeaders(photo.mimeType, body.length, `photo-${photo.publicId}${suffix}.${photo.extension}`), ...publicCacheHeaders(validators) },
    });
  }

  const viewer = await getCurrentAccount();
  const found = await getPhotoForViewer({ viewer, photoId });
  if (!found.ok && found.reason === 'unreadable') return unreadable(String(found.photoId), found.message);
  if (!found.ok) return plainText(404, 'Not found.');
  const { photo } = found;
  const body = isThumbnail ? await makeThumbnail(photo) : photo.data;
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...photoHeaders(photo.mimeType, body.length, `photo-${photo.id}${suffix}.${photo.extension}`), 'Cache-Control': PRIVATE_NO_STORE_CACHE_CONTROL },
  });
}
