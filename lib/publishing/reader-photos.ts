import type { PublicationSnapshot } from './snapshot';

/**
 * A published photo as the public page shows it: its public id (`/photos/<publicId>`), the
 * editor's caption and its displayed size — no internal id (issue 16 item 12). Kept apart from
 * snapshot.ts so the public report view, which the editor's client-side preview also renders,
 * imports nothing heavier than this.
 */
export type ReaderPhoto = { publicId: string; caption: string; width: number; height: number };

/**
 * The photos a reader may see of a stored snapshot, without their internal ids: only those with a
 * public id (one without is not served publicly, so it is left out rather than shown broken).
 */
export function toPublicPhotos(snapshot: Pick<PublicationSnapshot, 'photos'>): ReaderPhoto[] {
  return (snapshot.photos ?? []).flatMap((photo) =>
    typeof photo.publicId === 'string' ? [{ publicId: photo.publicId, caption: photo.caption, width: photo.width, height: photo.height }] : [],
  );
}
