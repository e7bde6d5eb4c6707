/**
 * Photos of reports: the data layer (issue 7; docs/product.md "photos" row; docs/security/README.md "Uploads",
 * "Durability"). Every function takes the acting account as an argument and checks it here.
 *
 * - Partners add, re-caption and remove photos of their own report while they may still edit it
 *   (lib/lifecycle/workflow.ts `canPartnerEdit`: draft or changes_requested), at most
 *   MAX_PHOTOS_PER_REPORT a report.
 * - The partner who filed a report and editors/admins (who see every report past draft,
 *   lib/lifecycle/access.ts) see its photos at `/photos/<photos.id>`; everyone else — anonymous
 *   readers included — sees only the photos an editor chose for a publication whose status is
 *   'published', and only at `/photos/<publicId>`, the random id the publication gave each
 *   (`publications.snapshot.photos`; issue 16 item 12). Anything else is "not found", never
 *   "forbidden".
 *
 * Photo files are only ever ciphertext on disk (storage.ts; docs/security/encryption-at-rest.md):
 * `addPhoto` seals the sanitised image before writing it, and `getPhotoForViewer` decrypts it only
 * after the access check.
 *
 * A photo change on a report past draft (changes requested) is a history entry (report_events,
 * `recordPhotoEvent` below), so editors see what changed since they asked; a draft's photos are
 * not history yet. No audit rows are written for photos: they change only while the partner owns
 * the report.
 */
import 'server-only';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import { photos, reports, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { canSeeReport, findReportForActor } from '@/lib/lifecycle/access';
import { applyTransition, type TransitionReport } from '@/lib/lifecycle/transition';
import { canPartnerEdit, type PhotoEventAction } from '@/lib/lifecycle/workflow';
import { refuse, type Refusal } from '@/lib/refusal';
import { parseCaption } from './captions';
import { parseClientPhotoId } from './client-id';
import { PHOTO_ERROR_MESSAGE_KEYS, type PhotoErrorCode } from './outcomes';
import { MAX_PHOTOS_PER_REPORT, PHOTO_EXTENSIONS, type PhotoMimeType } from './rules';
import { sanitizeImage } from './sanitize';
import { deletePhotoFile, readPhotoFile, storePhotoFile, sweepOrphans } from './storage';

/** A refusal that changed nothing (lib/refusal.ts); `messageKey` is an i18n key of the `photos` namespace. */
export type PhotoFailure = Refusal<'not_found' | PhotoErrorCode>;

/** One photo as the author and editors see it (never the storage name). */
export type PhotoView = {
  id: number;
  mimeType: PhotoMimeType;
  /** As displayed (orientation applied), in pixels. */
  width: number;
  height: number;
  /** Size of the sanitised image in bytes (its sealed file is ENVELOPE_OVERHEAD_BYTES, 32, longer). */
  bytes: number;
  caption: string;
  /** UTC ms. */
  createdAt: number;
};

function notFound(): PhotoFailure {
  return refuse('not_found', 'photos.errors.notFound');
}

function refusePhoto(code: PhotoErrorCode): PhotoFailure {
  return refuse(code, PHOTO_ERROR_MESSAGE_KEYS[code]);
}

/** A positive whole id from a route parameter or form field, else null. */
function toId(value: unknown): number | null {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function countPhotosOf(db: Tx | ReturnType<typeof getDb>, reportId: number): number {
  return db.select({ n: count() }).from(photos).where(eq(photos.reportId, reportId)).get()?.n ?? 0;
}

/**
 * A photo change on a report past draft goes into the report's history in the same transaction
 * (a history-only action of lib/lifecycle/workflow.ts PHOTO_EVENT_ACTIONS: the status and version
 * stay); a draft's photos are not history yet, like its other fields.
 */
function recordPhotoEvent(tx: Tx, actor: Actor, report: TransitionReport, action: PhotoEventAction): void {
  if (report.status === 'draft') return;
  applyTransition(tx, { actor, report, action, now: new Date() });
}

/**
 * May `actor` change the photos of this report? Partners: their own report while it is editable.
 * Returns null when they may, else the refusal (`not_found` for anyone else's report, `not_editable`
 * once it is submitted). Editors and admins never add or remove a partner's photos: `not_found`
 * keeps the answer the same as for a report they cannot change.
 */
function checkPartnerMayChange(actor: Actor, report: { authorId: number; status: ReportStatus } | null | undefined): PhotoFailure | null {
  if (!isPartnersOwn(actor, report)) return notFound();
  if (!canPartnerEdit(report!.status)) return refusePhoto('not_editable');
  return null;
}

/** Is this report the acting partner's own? (Editors and admins never change a partner's photos.) */
function isPartnersOwn(actor: Actor, report: { authorId: number } | null | undefined): boolean {
  return !!report && actor.role === 'partner' && report.authorId === actor.id;
}

/** The columns of a PhotoView, as selected. */
const PHOTO_VIEW_COLUMNS = {
  id: photos.id,
  mimeType: photos.mimeType,
  width: photos.width,
  height: photos.height,
  bytes: photos.bytes,
  caption: photos.caption,
  createdAt: photos.createdAt,
};

/** The photo this report already holds under this client photo id, if any. */
function findByClientId(db: Tx | ReturnType<typeof getDb>, reportId: number, clientId: string): PhotoView | null {
  const row = db
    .select(PHOTO_VIEW_COLUMNS)
    .from(photos)
    .where(and(eq(photos.reportId, reportId), eq(photos.clientId, clientId)))
    .get();
  return row ? { ...row, createdAt: row.createdAt.getTime() } : null;
}

/**
 * Attach a photo to a report.
 *
 * Order: caption → who may (the partner who wrote the report) → a repeat (below) → may they still
 * (the report is a draft or has changes requested; fewer than MAX_PHOTOS_PER_REPORT photos) →
 * `sanitizeImage` in memory (nothing is written if it refuses) → `storePhotoFile` (sealed in
 * memory, then temp file, fsync, rename) → one write transaction that re-checks the report, the
 * repeat and the count and inserts the row that names the file. If that transaction refuses,
 * finds a repeat or throws, the new file is deleted before returning (or throwing).
 *
 * Idempotent by `clientId` (issue 18 item 6; docs/security/README.md "Durability"): when the
 * report already holds a photo with this client photo id — the answer to an earlier try was lost
 * and the browser sends it again — that photo is the answer (`repeated: true`), even once the
 * report is full or submitted, and nothing is stored again (the UNIQUE index `photos (report_id,
 * client_id)` is the last guard). The id is looked up within the report only: the same id on
 * another report (another partner's included) is a photo of its own there, so an answer never
 * tells whether an id is in use elsewhere, and another partner's report stays `not_found`.
 *
 * @param bytes the upload as received, in memory (never written to disk as it came).
 * @param caption the partner's caption (any value; cleaned to NFC, ≤ 300 chars).
 * @param clientId the client photo id (client-id.ts; a UUID, any case), or undefined/null/'' for
 *   none: such an upload is stored each time it arrives.
 * @returns `{ ok: true, photo, repeated }` (`repeated`: an earlier try stored it; `photo` is that
 *   one, its caption as first stored) or a refusal that stored nothing: `not_found` (not their
 *   report, or no such report), `not_editable`, `too_many`, `caption_too_long`, `incomplete` (a
 *   `clientId` that is not a UUID), or the image's refusal reason (`empty`, `too_large`,
 *   `unsupported_type`, `heic`, `svg`, `too_many_pixels`, `corrupt`), each with its i18n key in
 *   `messageKey`. I/O and database errors throw, and so do SealedError / KeyError when there is
 *   no usable data key.
 */
export async function addPhoto({
  actor,
  reportId,
  bytes,
  caption,
  clientId,
}: {
  actor: Actor;
  reportId: unknown;
  bytes: Buffer | Uint8Array;
  caption: unknown;
  clientId?: unknown;
}): Promise<{ ok: true; photo: PhotoView; repeated: boolean } | PhotoFailure> {
  const parsedCaption = parseCaption(caption);
  if (!parsedCaption.ok) return refusePhoto('caption_too_long');
  const parsedClientId = parseClientPhotoId(clientId);
  if (!parsedClientId.ok) return refusePhoto('incomplete');
  const photoClientId = parsedClientId.clientId;

  // Cheap checks first, so a refused caller or a repeat costs no image decoding. Re-checked in the transaction.
  const access = findReportForActor({ actor, reportId });
  if (!isPartnersOwn(actor, access)) return notFound();
  const earlier = photoClientId === null ? null : findByClientId(getDb(), access!.id, photoClientId);
  if (earlier) return { ok: true, photo: earlier, repeated: true };
  const early = checkPartnerMayChange(actor, access);
  if (early) return early;
  if (countPhotosOf(getDb(), access!.id) >= MAX_PHOTOS_PER_REPORT) return refusePhoto('too_many');

  const sanitized = await sanitizeImage(bytes);
  if (!sanitized.ok) return refusePhoto(sanitized.reason);

  const { storageName } = await storePhotoFile({ data: sanitized.data, mimeType: sanitized.mimeType });
  let result: { ok: true; photo: PhotoView; repeated: boolean } | PhotoFailure;
  try {
    result = writeTransaction((tx) => {
      const report = findReportForActor({ actor, reportId: access!.id, tx });
      if (!isPartnersOwn(actor, report)) return notFound();
      // Two tries of one photo at once: the one that commits first is the photo, the other its repeat.
      const stored = photoClientId === null ? null : findByClientId(tx, report!.id, photoClientId);
      if (stored) return { ok: true as const, photo: stored, repeated: true };
      const refusal = checkPartnerMayChange(actor, report);
      if (refusal) return refusal;
      if (countPhotosOf(tx, report!.id) >= MAX_PHOTOS_PER_REPORT) return refusePhoto('too_many');
      const [row] = tx
        .insert(photos)
        .values({
          reportId: report!.id,
          storageName,
          mimeType: sanitized.mimeType,
          width: sanitized.width,
          height: sanitized.height,
          bytes: sanitized.data.length,
          caption: parsedCaption.caption,
          clientId: photoClientId,
        })
        .returning(PHOTO_VIEW_COLUMNS)
        .all();
      recordPhotoEvent(tx, actor, report!, 'photo_added');
      return { ok: true as const, photo: { ...row!, createdAt: row!.createdAt.getTime() }, repeated: false };
    });
  } catch (error) {
    await deletePhotoFile({ storageName });
    throw error;
  }
  if (!result.ok || result.repeated) await deletePhotoFile({ storageName });
  return result;
}

/** A photo with what the access checks need of its report. */
function loadPhotoWithReport(db: Tx | ReturnType<typeof getDb>, photoId: number) {
  return db
    .select({
      id: photos.id,
      reportId: photos.reportId,
      storageName: photos.storageName,
      mimeType: photos.mimeType,
      authorId: reports.authorId,
      status: reports.status,
      version: reports.version,
    })
    .from(photos)
    .innerJoin(reports, eq(reports.id, photos.reportId))
    .where(eq(photos.id, photoId))
    .get();
}

/** The report of a photo loaded by loadPhotoWithReport, as the lifecycle sees it. */
function reportOf(photo: NonNullable<ReturnType<typeof loadPhotoWithReport>>): TransitionReport {
  return { id: photo.reportId, authorId: photo.authorId, status: photo.status, version: photo.version };
}

/**
 * Remove a photo: the partner who wrote the report, while it is editable. The row is deleted in a
 * write transaction; the file is deleted after the commit (if that fails, the orphan sweep removes
 * it later).
 * @returns `{ ok: true, reportId }` or `not_found` / `not_editable` (nothing changed).
 */
export async function removePhoto({ actor, photoId }: { actor: Actor; photoId: unknown }): Promise<{ ok: true; reportId: number } | PhotoFailure> {
  const id = toId(photoId);
  if (id === null) return notFound();
  const result = writeTransaction((tx) => {
    const photo = loadPhotoWithReport(tx, id);
    const refusal = checkPartnerMayChange(actor, photo);
    if (refusal) return refusal;
    tx.delete(photos).where(eq(photos.id, id)).run();
    recordPhotoEvent(tx, actor, reportOf(photo!), 'photo_removed');
    return { ok: true as const, reportId: photo!.reportId, storageName: photo!.storageName };
  });
  if (!result.ok) return result;
  try {
    await deletePhotoFile({ storageName: result.storageName });
  } catch {
    // The row is gone, so the file is an orphan now: sweepOrphanPhotos removes it later.
  }
  return { ok: true, reportId: result.reportId };
}

/**
 * Change a photo's caption: the partner who wrote the report, while it is editable.
 * @param caption any value; cleaned to NFC, one line, ≤ 300 chars (an empty caption is allowed).
 * @returns `{ ok: true, reportId, caption }` (as stored) or `not_found` / `not_editable` /
 *   `caption_too_long` (nothing changed).
 */
export function updateCaption({
  actor,
  photoId,
  caption,
}: {
  actor: Actor;
  photoId: unknown;
  caption: unknown;
}): { ok: true; reportId: number; caption: string } | PhotoFailure {
  const id = toId(photoId);
  if (id === null) return notFound();
  const parsed = parseCaption(caption);
  return writeTransaction((tx) => {
    const photo = loadPhotoWithReport(tx, id);
    const refusal = checkPartnerMayChange(actor, photo);
    if (refusal) return refusal;
    if (!parsed.ok) return refusePhoto('caption_too_long');
    const before = tx.select({ caption: photos.caption }).from(photos).where(eq(photos.id, id)).get();
    tx.update(photos).set({ caption: parsed.caption }).where(eq(photos.id, id)).run();
    if (before?.caption !== parsed.caption) recordPhotoEvent(tx, actor, reportOf(photo!), 'photo_caption_changed');
    return { ok: true as const, reportId: photo!.reportId, caption: parsed.caption };
  });
}

/**
 * The photos of a report, oldest first, for its author and for editors/admins (who see every
 * report past draft). `isEditable`: whether `actor` may add, re-caption and remove photos now.
 * `title`: the report's title (a draft's as typed so far; '' when none yet).
 * @returns `{ ok: true, reportId, title, status, isEditable, photos }` or `not_found` (no such
 *   report, or one `actor` may not see — answer 404).
 */
export function listPhotos({
  actor,
  reportId,
}: {
  actor: Actor;
  reportId: unknown;
}): { ok: true; reportId: number; title: string; status: ReportStatus; isEditable: boolean; photos: PhotoView[] } | PhotoFailure {
  const access = findReportForActor({ actor, reportId });
  if (!access) return notFound();
  // A draft's title lives in its typed values until it is submitted (as in lib/reports/queries.ts).
  const title = getDb()
    .select({
      title: sql<string | null>`case when ${reports.status} = 'draft' then coalesce(json_extract(${reports.draftValues}, '$.title'), ${reports.title}) else ${reports.title} end`,
    })
    .from(reports)
    .where(eq(reports.id, access.id))
    .get()?.title;
  const rows = getDb()
    .select(PHOTO_VIEW_COLUMNS)
    .from(photos)
    .where(eq(photos.reportId, access.id))
    .orderBy(asc(photos.id))
    .all();
  return {
    ok: true,
    reportId: access.id,
    title: typeof title === 'string' ? title : '',
    status: access.status,
    isEditable: checkPartnerMayChange(actor, access) === null,
    photos: rows.map((row) => ({ ...row, createdAt: row.createdAt.getTime() })),
  };
}

/**
 * How many photos a report has, for a "Photos (n)" link: null when `actor` may not see the report.
 */
export function countPhotos({ actor, reportId }: { actor: Actor; reportId: unknown }): number | null {
  const access = findReportForActor({ actor, reportId });
  return access ? countPhotosOf(getDb(), access.id) : null;
}

/** A photo the viewer may see, with its bytes, ready to serve. */
export type ServedPhoto = {
  id: number;
  /** The sanitised image, decrypted (never the sealed file). */
  data: Buffer;
  /** Server-known type (from the row, set when the upload was sanitised). */
  mimeType: PhotoMimeType;
  extension: 'jpg' | 'png' | 'webp';
  /** Always false here: a photo reached by its internal id is served privately (no-store). */
  isPublic: false;
};

/**
 * What `getPhotoForViewer` answers. `not_found`: answer 404. `unreadable`: the viewer may see the
 * photo but its file does not open (damaged, renamed, in the clear, or sealed with another key);
 * answer 500 without any of its bytes and log `message`, which names `file` (`uploads/<name>`).
 */
export type PhotoForViewer =
  | { ok: true; photo: ServedPhoto }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'unreadable'; photoId: number; file: string; message: string };

/**
 * A photo by its internal id (`/photos/<photos.id>`), for those who see the report privately only:
 * the partner who filed it, and editors/admins for any report past draft (lib/lifecycle/access.ts).
 * Everyone else — anonymous readers included, and whether or not the photo is published — gets
 * `not_found`: readers reach published photos only by their random public id (`getPublicPhoto`;
 * issue 16 item 12), so an internal id reveals nothing and cannot be counted through.
 * The file is decrypted and authenticated only after that check (storage.ts `readPhotoFile`;
 * docs/security/encryption-at-rest.md).
 * @param photoId route parameter (any value; junk gives `not_found`)
 * @returns `{ ok: true, photo }` with the decrypted bytes; `{ ok: false, reason: 'not_found' }` —
 *   answer 404 (never 403, so existence is not revealed; a row whose file is missing is also
 *   `not_found`); or `{ ok: false, reason: 'unreadable', photoId, file, message }` — answer 500.
 * @throws SealedError / KeyError when there is no usable data key; database and I/O errors.
 */
export async function getPhotoForViewer({ viewer, photoId }: { viewer: Actor | null; photoId: unknown }): Promise<PhotoForViewer> {
  const notServed = { ok: false, reason: 'not_found' } as const;
  const id = toId(photoId);
  if (id === null || viewer === null) return notServed;
  const photo = loadPhotoWithReport(getDb(), id);
  if (!photo || !canSeeReport(viewer, photo)) return notServed;
  const file = await readPhotoFile({ storageName: photo.storageName });
  if (!file.ok) {
    return file.reason === 'unreadable' ? { ok: false, reason: 'unreadable', photoId: photo.id, file: file.file, message: file.message } : notServed;
  }
  return { ok: true, photo: { id: photo.id, data: file.data, mimeType: photo.mimeType, extension: PHOTO_EXTENSIONS[photo.mimeType], isPublic: false } };
}

/**
 * A stored photo's file and report by its internal id, with NO access check: only for the public
 * serving path (lib/publishing/public-photos.ts `getPublicPhoto`), which has found the photo in a
 * live publication first. Null when there is no such photo.
 */
export function findPhotoFile({ photoId }: { photoId: number }): { reportId: number; storageName: string; mimeType: PhotoMimeType } | null {
  const photo = loadPhotoWithReport(getDb(), photoId);
  return photo ? { reportId: photo.reportId, storageName: photo.storageName, mimeType: photo.mimeType } : null;
}

/** Files younger than this are never swept: an upload may be between its file and its row. */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

/**
 * Delete photo files that no `photos` row names (a crash or failed commit between file and row)
 * and stale temp files, once older than `olderThanMs` (default one hour).
 * @param now UTC ms (default the clock)
 * @returns `{ deletedNames }` (sorted storage names).
 */
export async function sweepOrphanPhotos({ olderThanMs = ORPHAN_MIN_AGE_MS, now }: { olderThanMs?: number; now?: number } = {}): Promise<{ deletedNames: string[] }> {
  const knownNames = new Set(getDb().select({ storageName: photos.storageName }).from(photos).all().map((row) => row.storageName));
  return sweepOrphans({ knownNames, olderThanMs, now });
}
