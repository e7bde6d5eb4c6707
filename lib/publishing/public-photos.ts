import 'server-only';
import { getSqlite } from '@/db/client';
import { findPhotoFile } from '@/lib/photos/photos';
import { PHOTO_EXTENSIONS, type PhotoMimeType } from '@/lib/photos/rules';
import { readPhotoFile } from '@/lib/photos/storage';
import { THUMBNAIL_VERSION } from '@/lib/photos/thumbnail';
import { strongEtag, type Validators } from './http-cache';
import { memoizePublic } from './public-cache';

/**
 * Which photo a public photo id names, and that photo as the public serving route needs it (issue
 * 16 item 12; lib/photos/README.md "Public photo ids").
 *
 * Public photo ids live in the snapshots of live publications (`publications.snapshot.photos[].
 * publicId`, given by `assignPhotoPublicIds` when an editor publishes), not in a column, so no
 * migration was needed. Finding one means looking inside every live snapshot, so the answer is an
 * index of all of them, built once per state of the public data (`memoizePublic`: rebuilt after
 * every publish, republish and retraction in this process, and after any commit by another
 * connection) — one query over the published snapshots, then a map lookup per request. Only
 * publications whose status is 'published' are read, so a retraction or a republish without a photo
 * removes its id from the index at once.
 */

/** A public photo id: 16 base64url characters (lib/publishing/publish.ts `newPublicId`). */
export const PHOTO_PUBLIC_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

/** A photo a live publication shows, as the serving route needs it. */
export type PublishedPhotoRef = {
  publicId: string;
  /** `photos.id`: which file to serve (never sent to a reader). */
  photoId: number;
  reportId: number;
  /** The publication's latest publish time (UTC ms): changes on every republish. */
  publishedAt: number;
};

type IndexRow = { reportId: number; publishedAt: number; photoId: unknown; publicId: unknown };

function buildIndex(): ReadonlyMap<string, PublishedPhotoRef> {
  const rows = getSqlite()
    .prepare(
      `SELECT p.report_id AS reportId, p.published_at AS publishedAt,
              json_extract(photo.value, '$.id') AS photoId, json_extract(photo.value, '$.publicId') AS publicId
         FROM publications AS p, json_each(p.snapshot, '$.photos') AS photo
        WHERE p.status = 'published'`,
    )
    .all() as IndexRow[];
  const index = new Map<string, PublishedPhotoRef>();
  for (const row of rows) {
    if (typeof row.publicId !== 'string' || !PHOTO_PUBLIC_ID_PATTERN.test(row.publicId)) continue;
    if (typeof row.photoId !== 'number' || !Number.isSafeInteger(row.photoId)) continue;
    index.set(row.publicId, { publicId: row.publicId, photoId: row.photoId, reportId: row.reportId, publishedAt: row.publishedAt });
  }
  return index;
}

/**
 * The live publication's photo named by `publicId` (any value: junk, an internal id, a withdrawn or
 * retracted photo's id all give null → 404).
 */
export function findPublishedPhoto({ publicId }: { publicId: unknown }): PublishedPhotoRef | null {
  if (typeof publicId !== 'string' || !PHOTO_PUBLIC_ID_PATTERN.test(publicId)) return null;
  return memoizePublic('published-photo-ids', buildIndex).get(publicId) ?? null;
}

/** Which bytes of a public photo are asked for: the stored photo or its 480 px copy. */
export type PublicPhotoVariant = 'full' | 'thumb';

/** A published photo as the public serving route needs it, before any file is read. */
export type PublicPhotoHead = {
  publicId: string;
  mimeType: PhotoMimeType;
  extension: 'jpg' | 'png' | 'webp';
  /** Validators of each variant (http-cache.ts): decided without reading the file. */
  validators: Record<PublicPhotoVariant, Validators>;
  /** Decrypt the photo (lib/photos/storage.ts `readPhotoFile`): its bytes, or why not. */
  open(): Promise<{ ok: true; data: Buffer } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'unreadable'; file: string; message: string }>;
};

/**
 * A published photo by its public id (`/photos/<publicId>`), for anyone: only while the photo is
 * listed, with that id, in a publication whose status is 'published' (`findPublishedPhoto`
 * above). A retraction, a republish without the photo, an id from before a withdrawal,
 * an internal id or junk: `not_found`. The viewer plays no part, so the answer may be cached publicly.
 *
 * Validators (issue 16 item 12): the ETag is a hash of the stored file's name (a file is never
 * rewritten: new bytes get a new name, so the name is the bytes' version), the variant (and, for
 * thumbnails, THUMBNAIL_VERSION), the public id and the publication's latest publish time, so it
 * changes with every republish; `lastModified` is that publish time. Neither reveals the file name.
 * @returns `{ ok: true, photo }` (read the bytes with `photo.open()` only when they are sent) or
 *   `{ ok: false, reason: 'not_found' }` — answer 404 with no-store.
 */
export function getPublicPhoto({ publicId }: { publicId: unknown }): { ok: true; photo: PublicPhotoHead } | { ok: false; reason: 'not_found' } {
  const published = findPublishedPhoto({ publicId });
  if (!published) return { ok: false, reason: 'not_found' };
  const photo = findPhotoFile({ photoId: published.photoId });
  // A snapshot names photos of its own report only (buildSnapshot); anything else is not served.
  if (!photo || photo.reportId !== published.reportId) return { ok: false, reason: 'not_found' };
  const etagOf = (variant: PublicPhotoVariant) =>
    strongEtag(['photo', variant === 'thumb' ? `thumb-${THUMBNAIL_VERSION}` : 'full', photo.storageName, published.publicId, published.publishedAt]);
  return {
    ok: true,
    photo: {
      publicId: published.publicId,
      mimeType: photo.mimeType,
      extension: PHOTO_EXTENSIONS[photo.mimeType],
      validators: {
        full: { etag: etagOf('full'), lastModified: published.publishedAt },
        thumb: { etag: etagOf('thumb'), lastModified: published.publishedAt },
      },
      async open() {
        const file = await readPhotoFile({ storageName: photo.storageName });
        if (file.ok) return { ok: true as const, data: file.data };
        return file.reason === 'unreadable' ? { ok: false as const, reason: 'unreadable' as const, file: file.file, message: file.message } : { ok: false as const, reason: 'not_found' as const };
      },
    },
  };
}
