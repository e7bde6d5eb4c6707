/**
 * Photos with reports (issue 7): a partner attaches photos on the report's photos page (with
 * scripts: several files, a progress bar each; without: one plain multipart post with the refusal
 * shown), the editor sees them on the review page, another partner and anonymous visitors get 404,
 * and after the editor publishes one of them the public can load that one only — with no EXIF, by
 * a random public id, revalidated on every use and gone at once when the report is retracted
 * (issue 16 items 12 and 13).
 */
import type { APIResponse, Browser } from '@playwright/test';
import exifr from 'exifr';
import sharp from 'sharp';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_PHOTO_BYTES } from '../lib/photos/rules';
import { cameraJpeg, pngWithEveryAncillaryChunk, SVG_WITH_SCRIPT } from '../lib/photos/test-images';
import { expect, openTestDb, ownerHintOf, signInAs, test, type DemoAccount } from './fixtures';
import { field } from './partner-form';
import { retractThroughEditorUi, seedDemoReportCopy } from './publishing-helpers';

/** Write the test photos into a fresh temp folder: a phone-like JPEG with GPS EXIF, and a PNG. */
async function makePhotoFiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-e2e-photos-'));
  const river = path.join(dir, 'river.jpg');
  const bridge = path.join(dir, 'bridge.png');
  const renamedSvg = path.join(dir, 'not-a-photo.jpg');
  const jpeg = await cameraJpeg();
  fs.writeFileSync(river, jpeg);
  fs.writeFileSync(bridge, await sharp({ create: { width: 90, height: 60, channels: 3, background: '#4a7' } }).png().toBuffer());
  fs.writeFileSync(renamedSvg, SVG_WITH_SCRIPT);
  // Positive control: the file we upload really carries the camera's GPS position.
  expect((await exifr.parse(jpeg, { gps: true })).latitude).toBeCloseTo(39.019, 2);
  return { dir, river, bridge, renamedSvg };
}

function photoIdsOf(reportId: number): number[] {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT id FROM photos WHERE report_id = ? ORDER BY id').all(reportId) as { id: number }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

/** The photos rows of a report: id, client photo id and storage name, oldest first. */
function photoRowsOf(reportId: number): { id: number; clientId: string | null; storageName: string }[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, client_id AS clientId, storage_name AS storageName FROM photos WHERE report_id = ? ORDER BY id').all(reportId) as {
      id: number;
      clientId: string | null;
      storageName: string;
    }[];
  } finally {
    db.close();
  }
}

/**
 * Files to pick, as in-memory payloads: the browser then sends their bytes from memory, which
 * Playwright can read back for route.fetch() (a file picked from disk is sent from the disk, and
 * its bytes are not in the intercepted request).
 */
function payloadsOf(...files: string[]) {
  return files.map((file) => ({ name: path.basename(file), mimeType: file.endsWith('.png') ? 'image/png' : 'image/jpeg', buffer: fs.readFileSync(file) }));
}

/** Names of the files in the test server's uploads folder (stored photos and temp files). */
function uploadedFiles(): Set<string> {
  const dir = path.join(process.env.E2E_DATA_DIR!, 'uploads');
  return new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
}

/** Files in the uploads folder now that were not in `before`. */
function filesAddedSince(before: Set<string>): string[] {
  return [...uploadedFiles()].filter((name) => !before.has(name)).sort();
}

function setReportStatus(reportId: number, status: string) {
  const db = openTestDb();
  try {
    db.prepare('UPDATE reports SET status = ? WHERE id = ?').run(status, reportId);
  } finally {
    db.close();
  }
}

/** A signed-in browser context for `account` (closed by the caller). */
async function contextFor(browser: Browser, account: DemoAccount, options: { javaScriptEnabled?: boolean } = {}) {
  const signedIn = await browser.newContext();
  await signInAs(await signedIn.newPage(), account);
  const storageState = await signedIn.storageState();
  await signedIn.close();
  return browser.newContext({ ...options, storageState });
}

/** Fetch a photo in an anonymous context (no cookies). */
async function fetchAnonymously(browser: Browser, url: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const context = await browser.newContext();
  try {
    const response: APIResponse = await context.request.get(url);
    return { status: response.status(), headers: response.headers(), body: await response.body() };
  } finally {
    await context.close();
  }
}

test.use({ signedInAs: 'partner-k17' });

test('a partner attaches two photos; editors see them; others get 404 until one is published, without EXIF', async ({ page, browser }) => {
  const files = await makePhotoFiles();
  const { reportId } = seedDemoReportCopy({ status: 'draft' });

  await page.goto(`/partner/reports/${reportId}/photos`);
  await expect(page.getByRole('heading', { level: 1, name: 'Photos' })).toBeVisible();
  await expect(page.getByText('0 of 10 photos')).toBeVisible();
  await page.getByLabel('Photo', { exact: true }).setInputFiles([files.river, files.bridge]);
  await page.getByLabel('Caption (optional)').fill('Trucks at the bridge');
  await page.getByRole('button', { name: 'Upload' }).click();

  // One progress bar per file, each filled when its upload has finished.
  const riverProgress = page.getByRole('progressbar', { name: 'Uploading river.jpg' });
  const bridgeProgress = page.getByRole('progressbar', { name: 'Uploading bridge.png' });
  await expect(riverProgress).toBeVisible();
  await expect(bridgeProgress).toBeVisible();
  await expect(riverProgress).toHaveJSProperty('value', 100);
  await expect(bridgeProgress).toHaveJSProperty('value', 100);
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded.' })).toHaveCount(2);
  // The list above refreshes with both photos, served by the authorised route.
  await expect(page.getByText('2 of 10 photos')).toBeVisible();
  const thumbnails = page.getByRole('img', { name: 'Trucks at the bridge' });
  await expect(thumbnails).toHaveCount(2);
  await expect.poll(() => thumbnails.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  const [riverId, bridgeId] = photoIdsOf(reportId);
  expect(riverId).toBeDefined();
  expect(bridgeId).toBeDefined();
  const own = await page.request.get(`/photos/${riverId}`);
  expect(own.status()).toBe(200);
  expect(own.headers()).toMatchObject({
    'content-type': 'image/jpeg',
    'x-content-type-options': 'nosniff',
    'content-disposition': `inline; filename="photo-${riverId}.jpg"`,
  });
  expect(own.headers()['cache-control']).toContain('no-store');
  expect(await exifr.parse(await own.body(), { gps: true, tiff: true, xmp: true })).toBeUndefined();

  // Submitted: the editor sees both photos on the review page.
  setReportStatus(reportId, 'submitted');
  const editor = await contextFor(browser, 'editor');
  const editorPage = await editor.newPage();
  await editorPage.goto(`/editor/reports/${reportId}`);
  const photosSection = editorPage.getByRole('region', { name: 'Photos (2)' });
  await expect(photosSection.getByRole('img', { name: 'Trucks at the bridge' })).toHaveCount(2);
  await expect(photosSection.getByText('Trucks at the bridge')).toHaveCount(2);

  // Another partner and anonymous visitors: 404 for the photos and the photos page.
  const otherPartner = await contextFor(browser, 'partner-y04');
  for (const id of [riverId, bridgeId]) {
    expect((await otherPartner.request.get(`/photos/${id}`)).status()).toBe(404);
    expect((await fetchAnonymously(browser, `/photos/${id}`)).status).toBe(404);
  }
  expect((await otherPartner.request.get(`/partner/reports/${reportId}/photos`)).status()).toBe(404);

  // The editor publishes the river photo only, with a caption of their own.
  setReportStatus(reportId, 'verified');
  await editorPage.goto(`/editor/reports/${reportId}/publish`);
  await editorPage.getByRole('checkbox', { name: 'Publish photo 1' }).check();
  await expect(editorPage.getByRole('checkbox', { name: 'Publish photo 2' })).not.toBeChecked();
  await editorPage.getByLabel('Public caption of photo 1').fill('Trucks at a river crossing');
  await editorPage.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(editorPage.getByText('Published. The public page now shows this snapshot.')).toBeVisible();
  const publicHref = await editorPage.getByRole('link', { name: 'Open the public page' }).getAttribute('href');
  expect(publicHref).toMatch(/^\/reports\/[A-Za-z0-9_-]{16}$/);

  // Readers load it by its random public id, which the public page links (issue 16 item 12).
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(publicHref!);
  const publicPhotoHref = await readerPage.getByRole('img', { name: 'Trucks at a river crossing' }).locator('xpath=..').getAttribute('href');
  expect(publicPhotoHref).toMatch(/^\/photos\/[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
  expect(publicPhotoHref).not.toMatch(/^\/photos\/\d+$/); // not an internal id, whatever its digits
  const published = await fetchAnonymously(browser, publicPhotoHref!);
  expect(published.status).toBe(200);
  expect(published.headers['content-disposition']).toBe(`inline; filename="photo-${publicPhotoHref!.slice('/photos/'.length)}.jpg"`);
  // The internal id of the published photo is no way in for readers.
  expect((await fetchAnonymously(browser, `/photos/${riverId}`)).status).toBe(404);
  expect(published.headers['content-type']).toBe('image/jpeg');
  expect(published.headers['x-content-type-options']).toBe('nosniff');
  expect(await exifr.parse(published.body, { gps: true, tiff: true, exif: true, xmp: true, iptc: true })).toBeUndefined();
  expect(published.body.includes(Buffer.from('Exif', 'latin1'))).toBe(false);
  expect((await fetchAnonymously(browser, `/photos/${bridgeId}`)).status).toBe(404);
  expect((await otherPartner.request.get(`/photos/${bridgeId}`)).status()).toBe(404);

  // The public page shows the chosen photo under the editor's caption, never the partner's.
  await expect(readerPage.getByRole('img', { name: 'Trucks at a river crossing' })).toBeVisible();
  // One photo (an <img>; the page's map is an SVG image of its own).
  await expect(readerPage.locator('img')).toHaveCount(1);
  await expect(readerPage.getByText('Trucks at the bridge')).toHaveCount(0);

  await Promise.all([reader.close(), editor.close(), otherPartner.close()]);
  fs.rmSync(files.dir, { recursive: true, force: true });
});

/** PNG chunk types, in order. */
function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset + 8 <= png.length; offset += 12 + png.readUInt32BE(offset)) types.push(png.toString('latin1', offset + 4, offset + 8));
  return types;
}

test('a published photo has a random address and is revalidated on every use: 304 while live, gone for everyone once retracted', async ({ page, browser, baseURL }) => {
  const { reportId } = seedDemoReportCopy({ status: 'draft' });
  // Two uploads in a row (consecutive internal ids); the first is a PNG full of ancillary chunks.
  const uploads = [
    { name: 'density.png', mimeType: 'image/png', buffer: await pngWithEveryAncillaryChunk() },
    { name: 'second.png', mimeType: 'image/png', buffer: await sharp({ create: { width: 50, height: 30, channels: 3, background: '#a73' } }).png().toBuffer() },
  ];
  const ownerHint = await ownerHintOf(page);
  for (const photo of uploads) {
    const uploaded = await page.request.post(`/partner/reports/${reportId}/photos/upload`, {
      headers: { origin: baseURL!, 'sec-fetch-site': 'same-origin', accept: 'application/json', 'x-fr-owner': ownerHint },
      multipart: { photo, caption: '' },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(201);
  }
  const internalIds = photoIdsOf(reportId);
  expect(internalIds[1]! - internalIds[0]!).toBe(1);

  setReportStatus(reportId, 'verified');
  const editor = await contextFor(browser, 'editor');
  const editorPage = await editor.newPage();
  await editorPage.goto(`/editor/reports/${reportId}/publish`);
  await editorPage.getByRole('checkbox', { name: 'Publish photo 1' }).check();
  await editorPage.getByLabel('Public caption of photo 1').fill('Dense chunks');
  await editorPage.getByRole('checkbox', { name: 'Publish photo 2' }).check();
  await editorPage.getByLabel('Public caption of photo 2').fill('Second view');
  await editorPage.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(editorPage.getByText('Published. The public page now shows this snapshot.')).toBeVisible();
  const publicHref = await editorPage.getByRole('link', { name: 'Open the public page' }).getAttribute('href');

  // The public page carries random public ids only: no internal id, nothing consecutive.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(publicHref!);
  const image = readerPage.getByRole('img', { name: 'Dense chunks' });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const html = await (await reader.request.get(publicHref!)).text();
  // Addresses in src/href only: the inlined stylesheet names the /photos/ path in a print rule.
  const photoIdsOnPage = [...html.matchAll(/(?:src|href)="\/photos\/([^"?&\\]+)/g)].map((match) => match[1]!);
  const publicIds = [...new Set(photoIdsOnPage)];
  expect(publicIds).toHaveLength(2);
  for (const id of publicIds) {
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
    expect(id).not.toMatch(/^\d+$/);
  }
  for (const internal of internalIds) expect(html).not.toMatch(new RegExp(`/photos/${internal}\\b`));
  const sharedPrefix = [...publicIds[0]!].findIndex((ch, i) => ch !== publicIds[1]![i]);
  expect(sharedPrefix, 'two photos of one report share a long prefix').toBeLessThan(8);
  const photoUrl = `/photos/${publicIds[0]}`;
  expect(await image.getAttribute('src')).toBe(`${photoUrl}?size=thumb`);

  // Served with revalidation headers and a strong ETag; the stored PNG kept only its pixels.
  const first = await fetchAnonymously(browser, photoUrl);
  expect(first.status).toBe(200);
  expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=50, must-revalidate');
  const etag = first.headers['etag']!;
  expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  expect(new Date(first.headers['last-modified']!).getTime()).not.toBeNaN();
  expect(new Set(pngChunkTypes(first.body))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
  const thumb = await fetchAnonymously(browser, `${photoUrl}?size=thumb`);
  expect(new Set(pngChunkTypes(thumb.body))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
  expect(thumb.headers['etag']).not.toBe(etag);

  // A conditional request is answered 304 with no body, by tag or by date.
  const anonymous = await browser.newContext();
  const byTag = await anonymous.request.get(photoUrl, { headers: { 'if-none-match': etag } });
  expect(byTag.status()).toBe(304);
  expect((await byTag.body()).length).toBe(0);
  expect(byTag.headers()['etag']).toBe(etag);
  const byDate = await anonymous.request.get(photoUrl, { headers: { 'if-modified-since': first.headers['last-modified']! } });
  expect(byDate.status()).toBe(304);
  expect((await anonymous.request.get(photoUrl, { headers: { 'if-none-match': '"something-else"' } })).status()).toBe(200);

  // A browser that opened the photo itself: it is in its cache, and reloading revalidates it.
  const viewer = await reader.newPage();
  const opened = await viewer.goto(photoUrl);
  expect(opened?.status()).toBe(200);
  const revalidation = viewer.waitForRequest((request) => request.url().endsWith(photoUrl));
  const revalidated = await viewer.reload();
  expect(await (await revalidation).headerValue('if-none-match'), 'the reload asks the server, carrying the ETag').toBe(etag);
  expect([200, 304]).toContain(revalidated?.status());

  await retractThroughEditorUi(browser, reportId, 'The photos show more than we should.');

  // Gone for everyone at once: no 200 and no 304, whatever validators the request carries.
  const conditions: Record<string, string>[] = [{}, { 'if-none-match': etag }, { 'if-modified-since': first.headers['last-modified']! }];
  for (const headers of conditions) {
    const after = await anonymous.request.get(photoUrl, { headers });
    expect(after.status(), JSON.stringify(headers)).toBe(404);
    expect(after.headers()['cache-control']).toBe('no-store');
  }
  expect((await anonymous.request.get(`${photoUrl}?size=thumb`)).status()).toBe(404);
  // The browser that showed it sees it gone on reload, and the report page no longer shows it.
  const reloaded = await viewer.reload();
  expect(reloaded?.status()).toBe(404);
  await expect(viewer.locator('body')).toHaveText('Not found.');
  await readerPage.reload();
  await expect(readerPage.getByRole('heading', { level: 1, name: 'Retracted report' })).toBeVisible();
  await expect(readerPage.locator('img')).toHaveCount(0);
  // The partner and the editor still see it by its internal id, privately.
  const own = await page.request.get(`/photos/${internalIds[0]}`);
  expect(own.status()).toBe(200);
  expect(own.headers()['cache-control']).toBe('private, no-store');

  await Promise.all([reader.close(), editor.close(), anonymous.close()]);
});

test.describe('on a flaky connection (issue 18 item 6)', () => {
  test('an upload whose answer was lost after the server stored it is retried and stored once', async ({ page }) => {
    const files = await makePhotoFiles();
    const { reportId } = seedDemoReportCopy({ status: 'draft' });
    const filesBefore = uploadedFiles();
    await page.goto(`/partner/reports/${reportId}/photos`);
    // The first try reaches the server, which stores the photo; its answer never reaches the page.
    let tries = 0;
    await page.route(`**/partner/reports/${reportId}/photos/upload`, async (route) => {
      tries += 1;
      if (tries > 1) return route.continue();
      const answered = await route.fetch();
      expect(answered.status()).toBe(201);
      await route.abort('connectionreset');
    });

    await page.getByLabel('Photo', { exact: true }).setInputFiles(payloadsOf(files.river, files.bridge));
    await page.getByRole('button', { name: 'Upload' }).click();
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await expect(uploads.getByRole('listitem').filter({ hasText: 'river.jpg' }).getByRole('status')).toHaveText(
      'Not uploaded: The upload failed. Check your connection and try again.',
    );
    // The queue goes on with the next photo, and the stored-but-unanswered one is in the database once.
    await expect(uploads.getByRole('listitem').filter({ hasText: 'bridge.png' }).getByRole('status')).toHaveText('Uploaded.');
    expect(photoRowsOf(reportId)).toHaveLength(2);

    await page.getByRole('button', { name: 'Retry river.jpg' }).click();
    await expect(uploads.getByRole('status').filter({ hasText: 'Uploaded.' })).toHaveCount(2);
    expect(tries).toBe(3);
    await expect(page.getByText('2 of 10 photos')).toBeVisible();
    await expect(page.getByRole('img', { name: /^Photo \d$/ })).toHaveCount(2);

    // Exactly the two photos picked: two rows, two client photo ids, two files — and so after a reload.
    const rows = photoRowsOf(reportId);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.clientId)).size).toBe(2);
    for (const row of rows) expect(row.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(filesAddedSince(filesBefore)).toEqual(rows.map((row) => row.storageName).sort());
    await page.reload();
    await expect(page.getByText('2 of 10 photos')).toBeVisible();
    fs.rmSync(files.dir, { recursive: true, force: true });
  });

  test('the connection drops in the middle of a queue of three: the queue stays on the page and all three are stored once', async ({ page, context }) => {
    const files = await makePhotoFiles();
    const third = path.join(files.dir, 'third.png');
    fs.writeFileSync(third, await sharp({ create: { width: 30, height: 50, channels: 3, background: '#a37' } }).png().toBuffer());
    const { reportId } = seedDemoReportCopy({ status: 'draft' });
    const filesBefore = uploadedFiles();
    await page.goto(`/partner/reports/${reportId}/photos`);
    // A mark on this page's window: a page load (the browser's offline page, or any other) would drop it.
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
    const isStillThisPage = () => page.evaluate(() => 'stillThisPage' in window);
    // The second photo reaches the server and is stored, then the connection drops before its answer.
    let tries = 0;
    await page.route(`**/partner/reports/${reportId}/photos/upload`, async (route) => {
      tries += 1;
      if (tries !== 2) return route.continue();
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    });

    await page.getByLabel('Photo', { exact: true }).setInputFiles(payloadsOf(files.river, files.bridge, third));
    await page.getByRole('button', { name: 'Upload' }).click();
    const uploads = page.getByRole('list', { name: 'Uploads' });
    const rowOf = (name: string) => uploads.getByRole('listitem').filter({ hasText: name }).getByRole('status');
    await expect(rowOf('river.jpg')).toHaveText('Uploaded.');
    const waiting = 'Waiting for the connection… it goes on by itself when the connection is back.';
    await expect(rowOf('bridge.png')).toHaveText(waiting);
    await expect(rowOf('third.png')).toHaveText(waiting);
    // Still the photos page, with its queue: no page load happened (that would show the browser's offline page).
    await expect(page.getByRole('heading', { level: 1, name: 'Photos' })).toBeVisible();
    expect(await isStillThisPage()).toBe(true);
    expect(tries).toBe(2);

    await context.setOffline(false);
    await expect(uploads.getByRole('status').filter({ hasText: 'Uploaded.' })).toHaveCount(3);
    await expect(page.getByText('3 of 10 photos')).toBeVisible();
    expect(await isStillThisPage()).toBe(true);
    const rows = photoRowsOf(reportId);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.clientId)).size).toBe(3);
    expect(filesAddedSince(filesBefore)).toEqual(rows.map((row) => row.storageName).sort());
    fs.rmSync(files.dir, { recursive: true, force: true });
  });
  test('six photos through a connection that drops again and again: every photo stored exactly once', async ({ page, context }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-e2e-photos-'));
    const names = Array.from({ length: 6 }, (_, i) => path.join(dir, `view-${i + 1}.png`));
    for (const [i, name] of names.entries()) {
      fs.writeFileSync(name, await sharp({ create: { width: 20 + i, height: 30, channels: 3, background: { r: 40 * i, g: 90, b: 200 - 30 * i } } }).png().toBuffer());
    }
    const { reportId } = seedDemoReportCopy({ status: 'draft' });
    const filesBefore = uploadedFiles();
    await page.goto(`/partner/reports/${reportId}/photos`);
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));

    // Each try meets one of: through; stored but the answer lost; cut before the server; stored,
    // then the connection drops. A fixed seed makes the run repeatable; after 24 tries all go through.
    let seed = 0x5eed18;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const fates: string[] = [];
    let isOffline = false;
    await page.route(`**/partner/reports/${reportId}/photos/upload`, async (route) => {
      const roll = fates.length < 24 ? random() : 0;
      const fate = roll < 0.4 ? 'through' : roll < 0.6 ? 'answer lost' : roll < 0.8 ? 'cut' : 'stored, then offline';
      fates.push(fate);
      if (fate === 'through') return route.continue();
      if (fate === 'cut') return route.abort('connectionreset');
      await route.fetch();
      if (fate === 'stored, then offline') {
        isOffline = true;
        await context.setOffline(true);
        return route.abort('internetdisconnected');
      }
      return route.abort('connectionreset');
    });

    await page.getByLabel('Photo', { exact: true }).setInputFiles(payloadsOf(...names));
    await page.getByRole('button', { name: 'Upload' }).click();
    const uploads = page.getByRole('list', { name: 'Uploads' });
    const uploaded = uploads.getByRole('status').filter({ hasText: 'Uploaded.' });
    const waitingForConnection = uploads.getByRole('status').filter({ hasText: 'Waiting for the connection' });
    const retryButtons = uploads.getByRole('button', { name: /^Retry / });
    // The partner's part: bring the connection back when it dropped, press Retry when one is offered.
    for (let step = 0; step < 60 && (await uploaded.count()) < names.length; step += 1) {
      await expect
        .poll(async () => (isOffline && (await waitingForConnection.count()) > 0) || (await retryButtons.count()) > 0 || (await uploaded.count()) === names.length)
        .toBe(true);
      if (isOffline) {
        isOffline = false;
        await context.setOffline(false);
      } else if ((await retryButtons.count()) > 0) {
        await retryButtons.first().click();
      }
    }
    await expect(uploaded).toHaveCount(names.length);
    expect(fates.filter((fate) => fate !== 'through').length, fates.join(', ')).toBeGreaterThanOrEqual(4);
    test.info().annotations.push({ type: 'tries', description: fates.join(', ') });
    expect(await page.evaluate(() => 'stillThisPage' in window)).toBe(true);
    await expect(page.getByText(`${names.length} of 10 photos`)).toBeVisible();
    const rows = photoRowsOf(reportId);
    expect(rows).toHaveLength(names.length);
    expect(new Set(rows.map((row) => row.clientId)).size).toBe(names.length);
    expect(filesAddedSince(filesBefore)).toEqual(rows.map((row) => row.storageName).sort());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test.describe('from the report form (issue 18 item 6)', () => {
  test('photos picked on a new report before its first save, offline, are uploaded to it once it is saved', async ({ page, context }) => {
    const files = await makePhotoFiles();
    const filesBefore = uploadedFiles();
    await page.goto('/partner/reports/new');
    // The picker is there once scripts run (autosave starts first).
    await expect(page.getByLabel('Add photos')).toBeVisible();
    await context.setOffline(true);
    await page.getByLabel('Add photos').setInputFiles(payloadsOf(files.river, files.bridge));
    const queue = page.getByRole('list', { name: 'Uploads' });
    await expect(queue.getByRole('status').filter({ hasText: 'Waiting for the draft’s first save…' })).toHaveCount(2);
    await field(page, 'Title').fill('Trucks at the Hyesan crossing');
    await expect(page).toHaveURL(/\/partner\/reports\/new$/); // nothing saved yet

    await context.setOffline(false);
    await expect(queue.getByRole('status').filter({ hasText: 'Uploaded.' })).toHaveCount(2);
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit$/);
    const reportId = Number(/\/partner\/reports\/(\d+)\/edit$/.exec(page.url())![1]);
    const rows = photoRowsOf(reportId);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.clientId)).size).toBe(2);
    expect(filesAddedSince(filesBefore)).toEqual(rows.map((row) => row.storageName).sort());

    // The photos page (a move within the app) lists them, and the title typed offline was saved.
    await page.getByRole('link', { name: 'Captions and removing photos: the photos page' }).click();
    await expect(page.getByText('2 of 10 photos')).toBeVisible();
    await expect(page.getByText('Report: Trucks at the Hyesan crossing')).toBeVisible();
    fs.rmSync(files.dir, { recursive: true, force: true });
  });

  test('without scripts, the new report form says photos come on their own page and saves the draft before opening it', async ({ browser }) => {
    const files = await makePhotoFiles();
    const context = await contextFor(browser, 'partner-k17', { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/partner/reports/new');
    await expect(page.getByText('Photos are added on a page of their own. This button saves the draft first, then opens that page.')).toBeVisible();
    await expect(page.locator('input[type="file"]')).toHaveCount(0); // no picker without scripts
    await field(page, 'Title').fill('Night crossing with photos');
    await page.getByRole('button', { name: 'Add photos' }).click();
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/photos$/);
    await expect(page.getByText('Report: Night crossing with photos')).toBeVisible();
    const reportId = Number(/\/partner\/reports\/(\d+)\/photos$/.exec(page.url())![1]);

    await page.getByLabel('Photo', { exact: true }).setInputFiles(files.river);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('status')).toHaveText('Photo added.');
    expect(photoRowsOf(reportId)).toHaveLength(1);
    await context.close();
    fs.rmSync(files.dir, { recursive: true, force: true });
  });
});

test.describe('without JavaScript', () => {
  test('the upload form refuses an SVG renamed .jpg, then adds, re-captions and removes a photo', async ({ browser }) => {
    const files = await makePhotoFiles();
    const { reportId } = seedDemoReportCopy({ status: 'draft' });
    const context = await contextFor(browser, 'partner-k17', { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/partner/reports/${reportId}/photos`);

    await page.getByLabel('Photo', { exact: true }).setInputFiles(files.renamedSvg);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(new RegExp(`/partner/reports/${reportId}/photos\\?error=svg$`));
    await expect(page.locator('#photos-error')).toHaveText('SVG files are not accepted: send a JPEG, PNG or WebP photo.');
    expect(photoIdsOf(reportId)).toEqual([]);

    await page.getByLabel('Photo', { exact: true }).setInputFiles(files.river);
    await page.getByLabel('Caption (optional)').fill('Night crossing');
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('status')).toHaveText('Photo added.');
    await expect(page.getByText('1 of 10 photos')).toBeVisible();
    await expect(page.getByRole('img', { name: 'Night crossing' })).toBeVisible();

    await page.getByLabel('Caption of photo 1').fill('Night crossing near the customs post');
    await page.getByRole('button', { name: 'Save caption' }).click();
    await expect(page.getByRole('status')).toHaveText('Caption saved.');
    await expect(page.getByLabel('Caption of photo 1')).toHaveValue('Night crossing near the customs post');

    // The form carries a client photo id the server made for it: the same form sent again (the
    // browser resending a post whose answer was lost) stores nothing new.
    const [stored] = photoRowsOf(reportId);
    expect(stored!.clientId).toMatch(/^[0-9a-f-]{36}$/);
    const resent = await page.request.post(`/partner/reports/${reportId}/photos/upload`, {
      headers: { origin: new URL(page.url()).origin, 'sec-fetch-site': 'same-origin' },
      multipart: { _keptOwner: await ownerHintOf(page), clientId: stored!.clientId!, caption: 'Night crossing', photo: { name: 'river.jpg', mimeType: 'image/jpeg', buffer: fs.readFileSync(files.river) } },
      maxRedirects: 0,
    });
    expect(resent.status()).toBe(303);
    expect(resent.headers()['location']).toBe(`/partner/reports/${reportId}/photos?done=uploaded`);
    expect(photoRowsOf(reportId).map((row) => row.id)).toEqual([stored!.id]);
    // A fresh render of the form carries a fresh id.
    expect(await page.locator('input[type="hidden"][name="clientId"]').inputValue()).not.toBe(stored!.clientId);

    await page.getByRole('button', { name: 'Remove photo 1' }).click();
    await expect(page.getByRole('status')).toHaveText('Photo removed.');
    await expect(page.getByText('0 of 10 photos')).toBeVisible();
    expect(photoIdsOf(reportId)).toEqual([]);

    // Once submitted, the photos can no longer be changed.
    setReportStatus(reportId, 'submitted');
    await page.goto(`/partner/reports/${reportId}/photos`);
    await expect(page.getByText('This report has been submitted: its photos can no longer be changed.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Upload' })).toHaveCount(0);

    await context.close();
    fs.rmSync(files.dir, { recursive: true, force: true });
  });

  test('a photo just under 10 MB arrives whole; one over it is refused as too large', async ({ browser }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-e2e-photos-'));
    // A real JPEG padded after its end marker to 60 bytes under the limit: with the multipart
    // framing the request is over 10 MiB, which a proxy body cap of 10 MiB would cut short.
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#357' } }).jpeg().toBuffer();
    const nearLimit = path.join(dir, 'near-limit.jpg');
    fs.writeFileSync(nearLimit, Buffer.concat([jpeg, Buffer.alloc(MAX_PHOTO_BYTES - 60 - jpeg.length)]));
    const tooBig = path.join(dir, 'too-big.jpg');
    fs.writeFileSync(tooBig, Buffer.concat([jpeg, Buffer.alloc(11 * 1024 * 1024 - jpeg.length)]));
    const { reportId } = seedDemoReportCopy({ status: 'draft' });
    const context = await contextFor(browser, 'partner-k17', { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/partner/reports/${reportId}/photos`);

    await page.getByLabel('Photo', { exact: true }).setInputFiles(tooBig);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.locator('#photos-error')).toHaveText('The photo is larger than 10 MB. Send a smaller copy.');
    expect(photoIdsOf(reportId)).toEqual([]);

    await page.getByLabel('Photo', { exact: true }).setInputFiles(nearLimit);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('status')).toHaveText('Photo added.');
    expect(photoIdsOf(reportId)).toHaveLength(1);

    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
