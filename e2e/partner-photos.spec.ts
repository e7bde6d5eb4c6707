/**
 * Photos with reports (issue 7): a partner attaches photos on the report's photos page (with
 * scripts: several files, a progress bar each; without: one plain multipart post with the refusal
 * shown), the editor sees them on the review page, another partner and anonymous visitors get 404,
 * and after the editor publishes one of them the public can load that one only — with no EXIF.
 */
import type { APIResponse, Browser } from '@playwright/test';
import exifr from 'exifr';
import sharp from 'sharp';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_PHOTO_BYTES } from '../lib/photos/rules';
import { cameraJpeg, SVG_WITH_SCRIPT } from '../lib/photos/test-images';
import { expect, openTestDb, signInAs, test, type DemoAccount } from './fixtures';
import { seedDemoReportCopy } from './publishing-helpers';

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

test('a partner attaches two photos; editors see them; others get 404 until one is published, without EXIF', async ({ page, browser }) => {
  const files = await makePhotoFiles();
  const { reportId } = seedDemoReportCopy({ status: 'draft' });

  await signInAs(page, 'partner-k17');
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

  const published = await fetchAnonymously(browser, `/photos/${riverId}`);
  expect(published.status).toBe(200);
  expect(published.headers['content-type']).toBe('image/jpeg');
  expect(published.headers['x-content-type-options']).toBe('nosniff');
  expect(await exifr.parse(published.body, { gps: true, tiff: true, exif: true, xmp: true, iptc: true })).toBeUndefined();
  expect(published.body.includes(Buffer.from('Exif', 'latin1'))).toBe(false);
  expect((await fetchAnonymously(browser, `/photos/${bridgeId}`)).status).toBe(404);
  expect((await otherPartner.request.get(`/photos/${bridgeId}`)).status()).toBe(404);

  // The public page shows the chosen photo under the editor's caption, never the partner's.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(publicHref!);
  await expect(readerPage.getByRole('img', { name: 'Trucks at a river crossing' })).toBeVisible();
  await expect(readerPage.getByRole('img')).toHaveCount(1);
  await expect(readerPage.getByText('Trucks at the bridge')).toHaveCount(0);

  await Promise.all([reader.close(), editor.close(), otherPartner.close()]);
  fs.rmSync(files.dir, { recursive: true, force: true });
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
