import type { NextRequest } from 'next/server';
import { getCurrentAccount } from '@/lib/auth/session';
import { getPhotoForViewer } from '@/lib/photos/photos';
import { makeThumbnail } from '@/lib/photos/thumbnail';

export const dynamic = 'force-dynamic';

/** A short plain-text answer that no cache keeps and no browser sniffs. */
function plainText(status: 404 | 500, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * GET /photos/<id>[?size=thumb] — the one route that serves photo files (issue 7; docs/security/README.md
 * "Uploads"). Who may see what is decided by `getPhotoForViewer`: the report's partner and
 * editors/admins see its photos; everyone else only photos chosen for a live publication. Anything
 * else is 404, never 403, so a photo's existence is not revealed.
 *
 * The type comes from the server's row (never from the upload or the file name), with `nosniff`,
 * an inline Content-Disposition under a server-made file name, and `no-store` unless the photo is
 * public (public ones may be cached for five minutes). `size=thumb` gives a copy at most 480 px
 * on its longest side, made in memory from the decrypted photo and never stored.
 *
 * Photo files are ciphertext on disk (docs/security/encryption-at-rest.md); one that does not open
 * (damaged, renamed, sealed with another key) is answered 500 "This photo could not be read."
 * with none of its bytes, and the log line names the file (`uploads/<name>`), never its content.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ photoId: string }> }): Promise<Response> {
  const { photoId } = await params;
  const viewer = await getCurrentAccount();
  const found = await getPhotoForViewer({ viewer, photoId });
  if (!found.ok && found.reason === 'unreadable') {
    console.error(`photos: photo ${found.photoId} not served: ${found.message}`);
    return plainText(500, 'This photo could not be read.');
  }
  if (!found.ok) return plainText(404, 'Not found.');
  const { photo } = found;

  const isThumbnail = request.nextUrl.searchParams.get('size') === 'thumb';
  const body = isThumbnail ? await makeThumbnail(photo) : photo.data;
  const suffix = isThumbnail ? '-thumb' : '';
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': photo.mimeType,
      'Content-Length': String(body.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `inline; filename="photo-${photo.id}${suffix}.${photo.extension}"`,
      'Cache-Control': photo.isPublic ? 'public, max-age=300' : 'private, no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });
}
