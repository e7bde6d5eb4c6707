/**
 * Integration tests of the photos data layer on a temp database and a temp uploads directory:
 * what addPhoto stores (and never stores), the per-report limit, refusals that leave everything
 * intact, a failed commit that leaves no file, and who may see which photo before and after
 * publication and after retraction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import exifr from 'exifr';
import sharp from 'sharp';
import fs from 'node:fs';
import path from 'node:path';
import { insertDemoReport, publishingFixture } from '@/lib/testing/reports';
import { MAX_PHOTOS_PER_REPORT } from './rules';
import { cameraJpeg, EXIFR_ALL, FORBIDDEN_BYTES, noisyImage, pngBombHeader, SECRET_NAME, SVG_WITH_SCRIPT } from './test-images';
import { openStoredPhoto } from './test-stored-files';

type Db = ReturnType<typeof publishingFixture>;
let db: Db;
// getPublicPhoto (serving a published photo) lives with the publications: lib/publishing/public-photos.ts.
let photosLib: typeof import('./photos') & Pick<typeof import('@/lib/publishing/public-photos'), 'getPublicPhoto'>;
let publishing: typeof import('@/lib/publishing/publish') & typeof import('@/lib/publishing/editor-view');
let uploadsDir: string;

beforeAll(async () => {
  db = publishingFixture();
  photosLib = { ...(await import('./photos')), getPublicPhoto: (await import('@/lib/publishing/public-photos')).getPublicPhoto };
  publishing = { ...(await import('@/lib/publishing/editor-view')), ...(await import('@/lib/publishing/publish')) };
  uploadsDir = (await import('./storage')).getUploadsDir();
});

/** Names in the uploads directory (photos and temp files), sorted. */
function filesOnDisk(): string[] {
  return fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir).sort() : [];
}

function photoRows(reportId: number) {
  return db.client.getDb().select().from(db.schema.photos).where(eq(db.schema.photos.reportId, reportId)).all();
}

function reportRow(reportId: number) {
  return db.client.getDb().select().from(db.schema.reports).where(eq(db.schema.reports.id, reportId)).get()!;
}

function setStatus(reportId: number, status: 'draft' | 'submitted' | 'verified' | 'changes_requested') {
  db.client.getDb().update(db.schema.reports).set({ status }).where(eq(db.schema.reports.id, reportId)).run();
}

let seed = 0;
/** A small, distinct JPEG (different noise each call). */
async function smallJpeg(): Promise<Buffer> {
  seed += 1;
  return noisyImage(24 + seed, 16).jpeg().toBuffer();
}

async function addAsPartner(reportId: number, bytes: Buffer, caption = '') {
  return photosLib.addPhoto({ actor: db.partner, reportId, bytes, caption });
}

describe('addPhoto', () => {
  it('stores a re-encoded file with no camera metadata, a server-made name and an NFC caption', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const input = await cameraJpeg();
    expect((await exifr.parse(input, EXIFR_ALL)).latitude).toBeCloseTo(39.019, 2); // the input does carry GPS

    const decomposed = 'Bridge at 혜산'.normalize('NFD');
    const result = await addAsPartner(reportId, input, `  ${decomposed}\r\nat dusk `);

    expect(result).toMatchObject({ ok: true, photo: { mimeType: 'image/jpeg', width: 40, height: 60, caption: 'Bridge at 혜산 at dusk' } });
    const [row] = photoRows(reportId);
    expect(row!.caption).toBe('Bridge at 혜산 at dusk'.normalize('NFC'));
    expect(row!.storageName).toMatch(/^[a-f0-9]{32}\.jpg$/);
    const stored = openStoredPhoto(uploadsDir, row!.storageName);
    expect(row!.bytes).toBe(stored.length);
    const parsed: unknown = await exifr.parse(stored, EXIFR_ALL);
    expect(parsed === undefined || (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0)).toBe(true);
    expect(FORBIDDEN_BYTES.filter((needle) => stored.includes(Buffer.from(needle, 'latin1')))).toEqual([]);
    const metadata = await sharp(stored).metadata();
    expect([metadata.exif, metadata.xmp, metadata.icc, metadata.iptc]).toEqual([undefined, undefined, undefined, undefined]);
    // The uploaded bytes themselves never reached the disk.
    expect(filesOnDisk().some((name) => fs.readFileSync(path.join(uploadsDir, name)).includes(Buffer.from(SECRET_NAME)))).toBe(false);
  });

  it('refuses the 11th photo of a report and keeps the ten', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    for (let i = 0; i < MAX_PHOTOS_PER_REPORT; i++) expect((await addAsPartner(reportId, await smallJpeg())).ok).toBe(true);
    const before = filesOnDisk();

    const eleventh = await addAsPartner(reportId, await smallJpeg());

    expect(eleventh).toEqual({ ok: false, code: 'too_many', messageKey: 'photos.errors.tooMany' });
    expect(photoRows(reportId)).toHaveLength(MAX_PHOTOS_PER_REPORT);
    expect(filesOnDisk()).toEqual(before);
  });

  it('names the reason of each refused file and leaves the report and its other photos intact', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    await addAsPartner(reportId, await smallJpeg(), 'first');
    await addAsPartner(reportId, await smallJpeg(), 'second');
    const rowsBefore = photoRows(reportId);
    const filesBefore = filesOnDisk();
    const bytesBefore = filesBefore.map((name) => fs.readFileSync(path.join(uploadsDir, name)));
    const reportBefore = reportRow(reportId);
    const truncated = (await noisyImage(200, 150).jpeg().toBuffer()).subarray(0, 600);

    const cases: [Buffer, string, string][] = [
      [SVG_WITH_SCRIPT, 'svg', 'photos.errors.svg'],
      [pngBombHeader(50_000, 50_000), 'too_many_pixels', 'photos.errors.tooManyPixels'],
      [Buffer.alloc(0), 'empty', 'photos.errors.empty'],
      [truncated, 'corrupt', 'photos.errors.corrupt'],
      [Buffer.from('%PDF-1.7\n'), 'unsupported_type', 'photos.errors.unsupportedType'],
    ];
    for (const [bytes, code, message] of cases) {
      expect(await addAsPartner(reportId, bytes, 'should not be stored')).toEqual({ ok: false, code, messageKey: message });
    }
    expect(await addAsPartner(reportId, await smallJpeg(), 'x'.repeat(301))).toEqual({
      ok: false,
      code: 'caption_too_long',
      messageKey: 'photos.errors.captionTooLong',
    });

    expect(photoRows(reportId)).toEqual(rowsBefore);
    expect(filesOnDisk()).toEqual(filesBefore);
    expect(filesBefore.map((name) => fs.readFileSync(path.join(uploadsDir, name)))).toEqual(bytesBefore);
    expect(reportRow(reportId)).toEqual(reportBefore);
  });

  it('lets only the partner who wrote the report add photos, and only while it is editable', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const filesBefore = filesOnDisk();
    const jpeg = await smallJpeg();
    for (const actor of [db.otherPartner, db.editor, db.admin]) {
      expect(await photosLib.addPhoto({ actor, reportId, bytes: jpeg, caption: '' })).toMatchObject({ ok: false, code: 'not_found' });
    }
    expect(await addAsPartner(999_999, jpeg)).toMatchObject({ ok: false, code: 'not_found' });
    setStatus(reportId, 'submitted');
    expect(await addAsPartner(reportId, jpeg)).toEqual({ ok: false, code: 'not_editable', messageKey: 'photos.errors.notEditable' });
    setStatus(reportId, 'changes_requested');
    expect((await addAsPartner(reportId, jpeg)).ok).toBe(true);
    expect(filesOnDisk()).toHaveLength(filesBefore.length + 1);
  });

  it('deletes the stored file when the transaction that names it fails', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const filesBefore = filesOnDisk();
    const sqlite = db.client.getSqlite();
    sqlite.exec("CREATE TRIGGER photos_fail BEFORE INSERT ON photos BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    try {
      await expect(addAsPartner(reportId, await smallJpeg())).rejects.toThrow('disk trouble');
    } finally {
      sqlite.exec('DROP TRIGGER photos_fail');
    }
    expect(filesOnDisk()).toEqual(filesBefore);
    expect(photoRows(reportId)).toEqual([]);
  });
});

describe('addPhoto with a client photo id (issue 18 item 6)', () => {
  const CLIENT_ID = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

  it('stores a retried upload once: the repeat answers the first photo, with no second row or file', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const jpeg = await smallJpeg();
    const filesBefore = filesOnDisk();
    const first = await photosLib.addPhoto({ actor: db.partner, reportId, bytes: jpeg, caption: 'first try', clientId: CLIENT_ID });
    expect(first).toMatchObject({ ok: true, repeated: false, photo: { caption: 'first try' } });
    // The answer was lost; the browser sends the same photo again (in upper case, another caption).
    const again = await photosLib.addPhoto({ actor: db.partner, reportId, bytes: jpeg, caption: 'second try', clientId: CLIENT_ID.toUpperCase() });
    expect(again).toEqual({ ...first, repeated: true });
    expect(photoRows(reportId).map((row) => [row.clientId, row.caption])).toEqual([[CLIENT_ID, 'first try']]);
    expect(filesOnDisk()).toHaveLength(filesBefore.length + 1);
  });

  it('answers a repeat with the first photo even once the report is full or submitted', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const ids = Array.from({ length: MAX_PHOTOS_PER_REPORT }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const stored = [];
    for (const clientId of ids) stored.push(await photosLib.addPhoto({ actor: db.partner, reportId, bytes: await smallJpeg(), caption: '', clientId }));
    const filesBefore = filesOnDisk();
    const last = await photosLib.addPhoto({ actor: db.partner, reportId, bytes: await smallJpeg(), caption: '', clientId: ids.at(-1) });
    expect(last).toEqual({ ...stored.at(-1), repeated: true });
    expect(await photosLib.addPhoto({ actor: db.partner, reportId, bytes: await smallJpeg(), caption: '', clientId: CLIENT_ID })).toMatchObject({ ok: false, code: 'too_many' });
    setStatus(reportId, 'submitted');
    expect(await photosLib.addPhoto({ actor: db.partner, reportId, bytes: await smallJpeg(), caption: '', clientId: ids[0] })).toEqual({ ...stored[0], repeated: true });
    expect(await photosLib.addPhoto({ actor: db.partner, reportId, bytes: await smallJpeg(), caption: '', clientId: CLIENT_ID })).toMatchObject({ ok: false, code: 'not_editable' });
    expect(photoRows(reportId)).toHaveLength(MAX_PHOTOS_PER_REPORT);
    expect(filesOnDisk()).toEqual(filesBefore);
  });

  it('stores two tries of one photo sent at once as one photo, and deletes the loser’s file', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const jpeg = await smallJpeg();
    const filesBefore = filesOnDisk();
    const tries = await Promise.all([1, 2, 3].map(() => photosLib.addPhoto({ actor: db.partner, reportId, bytes: jpeg, caption: '', clientId: CLIENT_ID })));
    expect(new Set(tries.map((result) => result.ok && result.photo.id)).size).toBe(1);
    expect(tries.filter((result) => result.ok && !result.repeated)).toHaveLength(1);
    expect(photoRows(reportId)).toHaveLength(1);
    expect(filesOnDisk()).toHaveLength(filesBefore.length + 1);
  });

  it('reveals nothing across reports: the same id elsewhere is a photo of its own there, another partner’s report stays not found', async () => {
    const mine = insertDemoReport(db.partner.id, { status: 'draft' });
    const myOther = insertDemoReport(db.partner.id, { status: 'draft' });
    const theirs = insertDemoReport(db.otherPartner.id, { status: 'draft' });
    const first = await photosLib.addPhoto({ actor: db.partner, reportId: mine, bytes: await smallJpeg(), caption: 'mine', clientId: CLIENT_ID });
    if (!first.ok) throw new Error('setup');

    // Another partner who learnt the id: on the report holding it, not found, as for any id;
    // on their own report, a new photo as for a fresh id (so they learn nothing of its use).
    expect(await photosLib.addPhoto({ actor: db.otherPartner, reportId: mine, bytes: await smallJpeg(), caption: '', clientId: CLIENT_ID })).toEqual({
      ok: false,
      code: 'not_found',
      messageKey: 'photos.errors.notFound',
    });
    const onTheirs = await photosLib.addPhoto({ actor: db.otherPartner, reportId: theirs, bytes: await smallJpeg(), caption: 'theirs', clientId: CLIENT_ID });
    expect(onTheirs).toMatchObject({ ok: true, repeated: false, photo: { caption: 'theirs' } });
    expect(onTheirs.ok && onTheirs.photo.id).not.toBe(first.photo.id);
    // Editors never add a partner's photos, repeat or not.
    setStatus(mine, 'submitted');
    expect(await photosLib.addPhoto({ actor: db.editor, reportId: mine, bytes: await smallJpeg(), caption: '', clientId: CLIENT_ID })).toMatchObject({ code: 'not_found' });
    // The same partner on another report of theirs: a photo of that report.
    expect(await photosLib.addPhoto({ actor: db.partner, reportId: myOther, bytes: await smallJpeg(), caption: '', clientId: CLIENT_ID })).toMatchObject({ ok: true, repeated: false });
    expect(photoRows(mine).map((row) => row.caption)).toEqual(['mine']);
  });

  it('refuses a client id that is not a UUID before storing anything; without one, each upload is a photo', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const jpeg = await smallJpeg();
    const filesBefore = filesOnDisk();
    for (const clientId of ['abc', 42, `${CLIENT_ID}x`]) {
      expect(await photosLib.addPhoto({ actor: db.partner, reportId, bytes: jpeg, caption: '', clientId })).toEqual({
        ok: false,
        code: 'incomplete',
        messageKey: 'photos.errors.incomplete',
      });
    }
    expect(filesOnDisk()).toEqual(filesBefore);
    await addAsPartner(reportId, jpeg);
    await addAsPartner(reportId, jpeg);
    expect(photoRows(reportId).map((row) => row.clientId)).toEqual([null, null]);
  });
});

describe('updateCaption and removePhoto', () => {
  it('change the partner’s own photos while editable, and nobody else’s', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const added = await addAsPartner(reportId, await smallJpeg(), 'old');
    if (!added.ok) throw new Error('setup');
    const photoId = added.photo.id;
    const [row] = photoRows(reportId);

    expect(photosLib.updateCaption({ actor: db.otherPartner, photoId, caption: 'hijack' })).toMatchObject({ code: 'not_found' });
    expect(photosLib.updateCaption({ actor: db.editor, photoId, caption: 'hijack' })).toMatchObject({ code: 'not_found' });
    expect(photosLib.updateCaption({ actor: db.partner, photoId, caption: 'y'.repeat(301) })).toMatchObject({ code: 'caption_too_long' });
    expect(photosLib.updateCaption({ actor: db.partner, photoId, caption: ' New\ncaption ' })).toEqual({ ok: true, reportId, caption: 'New caption' });
    expect(photoRows(reportId)[0]!.caption).toBe('New caption');

    expect(await photosLib.removePhoto({ actor: db.otherPartner, photoId })).toMatchObject({ code: 'not_found' });
    setStatus(reportId, 'submitted');
    expect(await photosLib.removePhoto({ actor: db.partner, photoId })).toMatchObject({ code: 'not_editable' });
    expect(photosLib.updateCaption({ actor: db.partner, photoId, caption: 'late' })).toMatchObject({ code: 'not_editable' });
    expect(fs.existsSync(path.join(uploadsDir, row!.storageName))).toBe(true);

    setStatus(reportId, 'draft');
    expect(await photosLib.removePhoto({ actor: db.partner, photoId })).toEqual({ ok: true, reportId });
    expect(photoRows(reportId)).toEqual([]);
    expect(fs.existsSync(path.join(uploadsDir, row!.storageName))).toBe(false);
    expect(await photosLib.removePhoto({ actor: db.partner, photoId })).toMatchObject({ code: 'not_found' });
  });
});

describe('photo changes in the report history', () => {
  function historyOf(reportId: number) {
    return db.client
      .getDb()
      .select({ action: db.schema.reportEvents.action, fromStatus: db.schema.reportEvents.fromStatus, toStatus: db.schema.reportEvents.toStatus, actorId: db.schema.reportEvents.actorId })
      .from(db.schema.reportEvents)
      .where(eq(db.schema.reportEvents.reportId, reportId))
      .all();
  }

  it('records adding, re-captioning and removing a photo once changes were requested, and nothing for a draft', async () => {
    const draftId = insertDemoReport(db.partner.id, { status: 'draft' });
    const onDraft = await addAsPartner(draftId, await smallJpeg(), 'first');
    if (!onDraft.ok) throw new Error('setup');
    photosLib.updateCaption({ actor: db.partner, photoId: onDraft.photo.id, caption: 'second' });
    expect(historyOf(draftId)).toEqual([]);

    const reportId = insertDemoReport(db.partner.id, { status: 'changes_requested' });
    const before = historyOf(reportId).length;
    const added = await addAsPartner(reportId, await smallJpeg(), 'Trucks at the bridge');
    if (!added.ok) throw new Error('setup');
    // The same caption again changes nothing and records nothing.
    photosLib.updateCaption({ actor: db.partner, photoId: added.photo.id, caption: 'Trucks at the bridge' });
    photosLib.updateCaption({ actor: db.partner, photoId: added.photo.id, caption: 'Trucks near the bridge' });
    await photosLib.removePhoto({ actor: db.partner, photoId: added.photo.id });
    const same = { fromStatus: 'changes_requested', toStatus: 'changes_requested', actorId: db.partner.id };
    expect(historyOf(reportId).slice(before)).toEqual([
      { action: 'photo_added', ...same },
      { action: 'photo_caption_changed', ...same },
      { action: 'photo_removed', ...same },
    ]);
    // A refused change records nothing.
    await photosLib.addPhoto({ actor: db.otherPartner, reportId, bytes: await smallJpeg(), caption: '' });
    expect(historyOf(reportId).slice(before)).toHaveLength(3);
  });
});

describe('deleting a draft', () => {
  it('removes its photos, rows and files with it', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const added = await addAsPartner(reportId, await smallJpeg(), 'gone with the draft');
    if (!added.ok) throw new Error('setup');
    const [stored] = photoRows(reportId);
    expect(fs.existsSync(path.join(uploadsDir, stored!.storageName))).toBe(true);
    const { deleteDraft } = await import('@/lib/reports/drafts');
    expect(await deleteDraft({ actor: db.partner, reportId })).toEqual({ ok: true });
    expect(photoRows(reportId)).toEqual([]);
    expect(fs.existsSync(path.join(uploadsDir, stored!.storageName))).toBe(false);
  });
});

describe('listPhotos and countPhotos', () => {
  it('list a report’s photos for its author and for editors once submitted, and for no one else', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    await addAsPartner(reportId, await smallJpeg(), 'one');
    await addAsPartner(reportId, await smallJpeg(), 'two');

    const mine = photosLib.listPhotos({ actor: db.partner, reportId: String(reportId) });
    expect(mine).toMatchObject({ ok: true, isEditable: true, status: 'draft' });
    expect(mine.ok && mine.photos.map((p) => p.caption)).toEqual(['one', 'two']);
    expect(mine.ok && Object.keys(mine.photos[0]!)).not.toContain('storageName');
    expect(photosLib.listPhotos({ actor: db.editor, reportId })).toMatchObject({ ok: false, code: 'not_found' }); // a draft is the partner's alone
    expect(photosLib.listPhotos({ actor: db.otherPartner, reportId })).toMatchObject({ ok: false, code: 'not_found' });
    expect(photosLib.countPhotos({ actor: db.partner, reportId })).toBe(2);
    expect(photosLib.countPhotos({ actor: db.otherPartner, reportId })).toBeNull();

    setStatus(reportId, 'submitted');
    expect(photosLib.listPhotos({ actor: db.editor, reportId })).toMatchObject({ ok: true, isEditable: false });
    expect(photosLib.listPhotos({ actor: db.partner, reportId })).toMatchObject({ ok: true, isEditable: false });
  });
});

describe('getPhotoForViewer and getPublicPhoto', () => {
  it('serves the author and editors any photo by its internal id, the public only published ones by their public id, and nothing after retraction', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const first = await addAsPartner(reportId, await cameraJpeg(), 'partner caption, names the street');
    const second = await addAsPartner(reportId, await smallJpeg(), 'second');
    if (!first.ok || !second.ok) throw new Error('setup');
    const [a, b] = [first.photo.id, second.photo.id];
    // By internal id: 'private' for those who see the report; readers never get it that way.
    const sees = async (viewer: { id: number; role: 'partner' | 'editor' | 'admin' } | null, photoId: number) => {
      const found = await photosLib.getPhotoForViewer({ viewer, photoId: String(photoId) });
      return found.ok ? (found.photo.isPublic ? 'public' : 'private') : found.reason === 'not_found' ? 'not found' : found.reason;
    };
    // By public id: the same for every viewer (the route does not look at the session).
    const readerSees = (publicId: string | undefined) => (photosLib.getPublicPhoto({ publicId }).ok ? 'public' : 'not found');
    const storedSnapshot = () =>
      db.client.getDb().select().from(db.schema.publications).where(eq(db.schema.publications.reportId, reportId)).get()!
        .snapshot as import('@/lib/publishing/snapshot').PublicationSnapshot;
    const publicIdOf = (photoId: number) => storedSnapshot().photos?.find((photo) => photo.id === photoId)?.publicId;

    // Draft: the author only.
    expect(await sees(db.partner, a)).toBe('private');
    for (const viewer of [db.otherPartner, db.editor, db.admin, null]) expect(await sees(viewer, a)).toBe('not found');

    // Submitted and verified: editors too; still nobody else.
    setStatus(reportId, 'verified');
    expect(await sees(db.editor, a)).toBe('private');
    expect(await sees(db.admin, b)).toBe('private');
    expect(await sees(db.otherPartner, a)).toBe('not found');
    expect(await sees(null, a)).toBe('not found');
    expect(await sees(null, 999_999)).toBe('not found');
    expect(await photosLib.getPhotoForViewer({ viewer: null, photoId: '../etc/passwd' })).toEqual({ ok: false, reason: 'not_found' });

    // Published with photo A only, under the caption the editor approved.
    const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
    expect(view.source.photos?.map((p) => p.id)).toEqual([a, b]);
    expect(view.defaults.photos).toEqual([]); // photos go public only when ticked
    const published = publishing.publishReport({
      actor: db.editor,
      reportId,
      expectedVersion: reportRow(reportId).version,
      choices: { ...view.defaults, photos: [{ id: a, caption: 'A bridge over the river' }] },
    });
    expect(published.ok).toBe(true);
    const snapshot = storedSnapshot();
    expect(snapshot.photos).toEqual([{ id: a, publicId: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/), caption: 'A bridge over the river', width: 40, height: 60 }]);
    expect(JSON.stringify(snapshot)).not.toContain('names the street');
    const publicA = publicIdOf(a)!;
    expect(publicA).not.toMatch(/^\d+$/);

    expect(readerSees(publicA)).toBe('public');
    // The internal id of a published photo is no way in for readers (issue 16 item 12).
    expect(await sees(null, a)).toBe('not found');
    expect(await sees(db.otherPartner, a)).toBe('not found');
    expect(await sees(null, b)).toBe('not found');
    expect(await sees(db.otherPartner, b)).toBe('not found');
    expect(await sees(db.partner, b)).toBe('private');
    expect(await sees(db.editor, b)).toBe('private');
    expect(await sees(db.editor, a)).toBe('private');
    for (const junk of [String(a), `${a}`.padStart(16, '0'), 'AAAAAAAAAAAAAAAA', `${publicA}x`, undefined]) expect(readerSees(junk)).toBe('not found');
    const servedToPublic = photosLib.getPublicPhoto({ publicId: publicA });
    if (!servedToPublic.ok) throw new Error('expected the published photo');
    expect(servedToPublic.photo).toMatchObject({ publicId: publicA, mimeType: 'image/jpeg', extension: 'jpg' });
    expect(JSON.stringify(servedToPublic.photo)).not.toMatch(/storage|\.jpg"|uploads/);
    const opened = await servedToPublic.photo.open();
    expect(await exifr.parse(opened.ok ? opened.data : Buffer.alloc(0), EXIFR_ALL)).toBeUndefined();
    const firstValidators = servedToPublic.photo.validators;
    expect(firstValidators.full.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(firstValidators.thumb.etag).not.toBe(firstValidators.full.etag);

    // A republish that keeps the photo keeps its address but changes its validators.
    const kept = publishing.getPublishingView({ actor: db.editor, reportId })!;
    expect(kept.defaults.photos).toEqual([{ id: a, caption: 'A bridge over the river' }]);
    publishing.publishReport({
      actor: db.editor,
      reportId,
      expectedVersion: reportRow(reportId).version,
      choices: { ...kept.defaults, photos: [{ id: a, caption: 'A bridge over the river, at dusk' }] },
      now: Date.now() + 2_000,
    });
    expect(publicIdOf(a)).toBe(publicA);
    const recaptioned = photosLib.getPublicPhoto({ publicId: publicA });
    expect(recaptioned.ok && recaptioned.photo.validators.full.etag).not.toBe(firstValidators.full.etag);
    expect(recaptioned.ok && recaptioned.photo.validators.full.lastModified).toBeGreaterThan(firstValidators.full.lastModified);

    // A republish without the photo takes it off the public site; chosen again, it gets a new id.
    publishing.publishReport({ actor: db.editor, reportId, expectedVersion: reportRow(reportId).version, choices: { ...kept.defaults, photos: [] } });
    expect(readerSees(publicA)).toBe('not found');
    publishing.publishReport({
      actor: db.editor,
      reportId,
      expectedVersion: reportRow(reportId).version,
      choices: { ...kept.defaults, photos: [{ id: a, caption: 'Back again' }] },
    });
    const publicAgain = publicIdOf(a)!;
    expect(publicAgain).not.toBe(publicA);
    expect(readerSees(publicA)).toBe('not found');
    expect(readerSees(publicAgain)).toBe('public');

    // Retracted: the public loses it at once; the author and editors keep it by its internal id.
    const retracted = publishing.retractReport({ actor: db.editor, reportId, expectedVersion: reportRow(reportId).version, reason: 'Could not be confirmed.' });
    expect(retracted.ok).toBe(true);
    expect(readerSees(publicAgain)).toBe('not found');
    expect(await sees(null, a)).toBe('not found');
    expect(await sees(db.otherPartner, a)).toBe('not found');
    expect(await sees(db.partner, a)).toBe('private');
    expect(await sees(db.editor, a)).toBe('private');
  });

  it('gives two photos of one report unrelated public ids, neither derived from their consecutive internal ids', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const added = [await addAsPartner(reportId, await smallJpeg()), await addAsPartner(reportId, await smallJpeg())];
    const ids = added.map((result) => (result.ok ? result.photo.id : -1));
    expect(ids[1]! - ids[0]!).toBe(1); // the internal ids are sequential: the reason for public ids
    setStatus(reportId, 'verified');
    const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
    publishing.publishReport({
      actor: db.editor,
      reportId,
      expectedVersion: reportRow(reportId).version,
      choices: { ...view.defaults, photos: ids.map((id) => ({ id, caption: '' })) },
    });
    const snapshot = db.client.getDb().select().from(db.schema.publications).where(eq(db.schema.publications.reportId, reportId)).get()!
      .snapshot as import('@/lib/publishing/snapshot').PublicationSnapshot;
    const publicIds = (snapshot.photos ?? []).map((photo) => photo.publicId!);
    expect(publicIds).toHaveLength(2);
    for (const publicId of publicIds) {
      expect(publicId).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
      expect(publicId).not.toMatch(/^\d+$/);
    }
    // 16 random base64url characters each: they share no long run (a counter would share 15).
    const sharedPrefix = [...publicIds[0]!].findIndex((ch, i) => ch !== publicIds[1]![i]);
    expect(sharedPrefix).toBeLessThan(8);
    const { toPublicPhotos } = await import('@/lib/publishing/reader-photos');
    expect(JSON.stringify(toPublicPhotos(snapshot))).not.toMatch(new RegExp(`"id"|\\b(${ids.join('|')})\\b`));
  });

  it('gives public ids to the photos of a publication stored before public ids existed, once', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const added = await addAsPartner(reportId, await smallJpeg());
    if (!added.ok) throw new Error('setup');
    setStatus(reportId, 'verified');
    const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
    publishing.publishReport({ actor: db.editor, reportId, expectedVersion: reportRow(reportId).version, choices: { ...view.defaults, photos: [{ id: added.photo.id, caption: 'old' }] } });
    // As a snapshot from before issue 16 stored it: the photo named by its internal id only.
    const table = db.schema.publications;
    const row = db.client.getDb().select().from(table).where(eq(table.reportId, reportId)).get()!;
    const legacy = row.snapshot as import('@/lib/publishing/snapshot').PublicationSnapshot;
    const legacyPhotos = (legacy.photos ?? []).map((photo) => ({ id: photo.id, caption: photo.caption, width: photo.width, height: photo.height }));
    db.client.writeTransaction((tx) => tx.update(table).set({ snapshot: { ...legacy, photos: legacyPhotos } }).where(eq(table.id, row.id)).run());
    expect(await sees404(String(added.photo.id))).toBe(true);

    expect(publishing.assignMissingPhotoPublicIds().updated).toBeGreaterThanOrEqual(1);
    expect(publishing.assignMissingPhotoPublicIds().updated).toBe(0);
    const after = db.client.getDb().select().from(table).where(eq(table.id, row.id)).get()!.snapshot as import('@/lib/publishing/snapshot').PublicationSnapshot;
    const publicId = after.photos?.[0]?.publicId;
    expect(publicId).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
    expect(photosLib.getPublicPhoto({ publicId }).ok).toBe(true);
    expect(db.client.getDb().select().from(table).where(eq(table.id, row.id)).get()!.publishedAt).toEqual(row.publishedAt);

    async function sees404(photoId: string) {
      return !(await photosLib.getPhotoForViewer({ viewer: null, photoId })).ok && !photosLib.getPublicPhoto({ publicId: photoId }).ok;
    }
  });

  it('refuses to publish a photo of another report', async () => {
    const other = insertDemoReport(db.partner.id, { status: 'draft' });
    const foreign = await addAsPartner(other, await smallJpeg());
    if (!foreign.ok) throw new Error('setup');
    const reportId = insertDemoReport(db.partner.id);
    const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
    const result = publishing.publishReport({
      actor: db.editor,
      reportId,
      expectedVersion: reportRow(reportId).version,
      choices: { ...view.defaults, photos: [{ id: foreign.photo.id, caption: '' }] },
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { photos: ['publishing.errors.unknownRow'] } });
    expect(await photosLib.getPhotoForViewer({ viewer: null, photoId: foreign.photo.id })).toEqual({ ok: false, reason: 'not_found' });
    expect(db.client.getDb().select().from(db.schema.publications).where(eq(db.schema.publications.reportId, reportId)).get()).toBeUndefined();
  });

  it('serves the decrypted photo, and answers unreadable, naming the file, for one damaged on disk', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const added = await addAsPartner(reportId, await smallJpeg());
    if (!added.ok) throw new Error('setup');
    const storageName = photoRows(reportId)[0]!.storageName;
    const file = path.join(uploadsDir, storageName);
    const served = await photosLib.getPhotoForViewer({ viewer: db.partner, photoId: added.photo.id });
    expect(served).toMatchObject({ ok: true, photo: { id: added.photo.id } });
    expect(served.ok && served.photo.data).toEqual(openStoredPhoto(uploadsDir, storageName));

    const damaged = fs.readFileSync(file);
    damaged[damaged.length >> 1] = (damaged[damaged.length >> 1] ?? 0) ^ 0x80;
    fs.writeFileSync(file, damaged);

    const found = await photosLib.getPhotoForViewer({ viewer: db.partner, photoId: added.photo.id });
    expect(found).toEqual({
      ok: false,
      reason: 'unreadable',
      photoId: added.photo.id,
      file: `uploads/${storageName}`,
      message: `uploads/${storageName} failed its integrity check: it is damaged, was renamed, or was sealed with another key.`,
    });
    // Those who may not see the photo learn nothing about its file.
    for (const viewer of [db.otherPartner, db.editor, null]) {
      expect(await photosLib.getPhotoForViewer({ viewer, photoId: added.photo.id })).toEqual({ ok: false, reason: 'not_found' });
    }
  });
});

describe('sweepOrphanPhotos', () => {
  it('deletes old files no row names and keeps named and recent ones', async () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'draft' });
    const kept = await addAsPartner(reportId, await smallJpeg());
    if (!kept.ok) throw new Error('setup');
    const { sanitizeImage } = await import('./sanitize');
    const { storePhotoFile } = await import('./storage');
    const sanitized = await sanitizeImage(await smallJpeg());
    if (!sanitized.ok) throw new Error('setup');
    const orphan = await storePhotoFile({ data: sanitized.data, mimeType: sanitized.mimeType });
    const recentOrphan = await storePhotoFile({ data: sanitized.data, mimeType: sanitized.mimeType });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const named = photoRows(reportId)[0]!.storageName;
    for (const name of [orphan.storageName, named]) fs.utimesSync(path.join(uploadsDir, name), twoHoursAgo, twoHoursAgo);

    const { deletedNames } = await photosLib.sweepOrphanPhotos();

    expect(deletedNames).toContain(orphan.storageName);
    expect(deletedNames).not.toContain(recentOrphan.storageName);
    expect(deletedNames).not.toContain(named);
    expect(fs.existsSync(path.join(uploadsDir, named))).toBe(true);
    expect(fs.existsSync(path.join(uploadsDir, orphan.storageName))).toBe(false);
    // Every file a row names is still there.
    const names = db.client.getDb().select({ n: db.schema.photos.storageName }).from(db.schema.photos).all().map((r) => r.n);
    for (const name of names) expect(fs.existsSync(path.join(uploadsDir, name)), name).toBe(true);
  });
});
