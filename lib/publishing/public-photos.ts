import 'server-only';
import { getSqlite } from '@/db/client';
import { memoizePublic } from './public-cache';

/**
 * Which photo a public photo id names (issue 16 item 12; lib/photos/README.md "Public photo ids").
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
