/**
 * Issue 18 items 6–8: photos travel with the outbox and are kept on the phone. A report submitted
 * with no connection takes the photos picked on its form into the outbox (encrypted in the device
 * store, read back as stored); they stay queued through a reload; when the connection returns the
 * outbox saves the report's draft, sends each photo once by its client photo id and then submits
 * it: the server holds the report with exactly its photos, none twice. A Submit while photos are
 * still on their way (online) no longer leaves them refused as "not editable". Wiping the device
 * leaves nothing of them.
 */
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { holdsInClear, storedRecords, waitUntilKeptForOffline } from './device-records';
import { createTestAccount, expect, openTestDb, signIn, test } from './fixtures';
import { demoReport, fillReportParts, uniqueTitle } from './partner-form';

const QUEUED = /^Saved on this phone; it will be sent when the connection returns\./;

/** Two small photos to pick, as in-memory payloads (distinct bytes). */
async function twoPhotos() {
  const make = (background: string) => sharp({ create: { width: 64, height: 48, channels: 3, background } }).png().toBuffer();
  return [
    { name: 'trucks-at-the-bridge.png', mimeType: 'image/png', buffer: await make('#4a7') },
    { name: 'loading-yard.png', mimeType: 'image/png', buffer: await make('#a47') },
  ];
}

/** The account's reports with their status, submit count and photo rows (client ids), oldest first. */
function reportsWithPhotos(accountId: number) {
  const db = openTestDb();
  try {
    const reports = db
      .prepare(
        "SELECT r.id, r.title, r.status, (SELECT COUNT(*) FROM report_events e WHERE e.report_id = r.id AND e.action = 'submit') AS submissions FROM reports r WHERE r.author_id = ? ORDER BY r.id",
      )
      .all(accountId) as { id: number; title: string; status: string; submissions: number }[];
    return reports.map((report) => ({
      ...report,
      photoClientIds: (db.prepare('SELECT client_id AS clientId FROM photos WHERE report_id = ? ORDER BY id').all(report.id) as { clientId: string | null }[]).map((row) => row.clientId),
    }));
  } finally {
    db.close();
  }
}

/** The outbox's line for the report titled `title` on My reports. */
const outboxItem = (page: Page, title: string) => page.getByRole('region', { name: 'Waiting to be sent' }).getByRole('listitem').filter({ hasText: title });

/** A new partner, signed in, whose phone has kept the pages for offline use, on a new report filled in. */
async function newPartnerOnForm(page: Page, prefix: string) {
  const partner = await createTestAccount('partner', prefix);
  await signIn(page, partner.codeName, partner.password, /\/partner$/);
  await waitUntilKeptForOffline(page);
  const title = uniqueTitle(`Photos ${prefix}`);
  await page.goto('/partner/reports/new');
  await expect(page.getByLabel('Add photos')).toBeVisible();
  await fillReportParts(page, demoReport(2), { title });
  return { partner, title };
}

test('offline: a report and its 2 photos wait in the outbox, encrypted, through a reload, and are sent once each when the connection returns', async ({ page, context }) => {
  const { partner, title } = await newPartnerOnForm(page, 'outphoto');
  const photos = await twoPhotos();
  await context.setOffline(true);
  await page.getByLabel('Add photos').setInputFiles(photos);
  await expect(page.getByRole('list', { name: 'Uploads' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Submit report' }).click();
  await expect(page.getByText(QUEUED)).toBeVisible();

  // On the phone: the report and both photos' bytes, encrypted under this account; nothing in the clear.
  const records = await storedRecords(page);
  const photoFiles = records.filter((r) => r.kind === 'photo-file');
  expect(photoFiles).toHaveLength(2);
  expect(records.filter((r) => r.kind !== 'page').every((r) => r.accountId === partner.id && r.isEncrypted)).toBe(true);
  expect(holdsInClear(records, title)).toBe(false);
  expect(holdsInClear(records, 'trucks-at-the-bridge.png')).toBe(false);
  const pngSignature = photos[0]!.buffer.subarray(0, 24);
  expect(records.some((r) => Buffer.from(r.bytes).includes(pngSignature))).toBe(false);

  // My reports, offline (from the device), lists the report and each photo as waiting; after a reload too.
  await page.goto('/partner');
  const item = outboxItem(page, title);
  await expect(item).toContainText('Waiting for the connection');
  const photoList = item.getByRole('list', { name: 'Its photos' });
  await expect(photoList.getByRole('listitem')).toHaveText(['trucks-at-the-bridge.png — Waiting to be sent', 'loading-yard.png — Waiting to be sent']);
  await page.reload();
  await expect(outboxItem(page, title).getByRole('list', { name: 'Its photos' }).getByRole('listitem')).toHaveText([
    'trucks-at-the-bridge.png — Waiting to be sent',
    'loading-yard.png — Waiting to be sent',
  ]);
  expect(reportsWithPhotos(partner.id).map((r) => r.status)).not.toContain('submitted');

  await context.setOffline(false);
  // The photos go first, then the report (its link shows once it is submitted).
  await expect(outboxItem(page, title).getByRole('link', { name: 'Open your report' })).toBeVisible();
  await expect(outboxItem(page, title).getByRole('list', { name: 'Its photos' }).getByRole('listitem')).toHaveText([
    'trucks-at-the-bridge.png — Sent',
    'loading-yard.png — Sent',
  ]);
  const [report, ...others] = reportsWithPhotos(partner.id);
  expect(others).toEqual([]);
  expect(report).toMatchObject({ title, status: 'submitted', submissions: 1 });
  expect(report!.photoClientIds).toHaveLength(2);
  expect(new Set(report!.photoClientIds).size).toBe(2);
  // Shown as sent, then gone from the phone: no report, no photo left behind.
  await expect.poll(async () => (await storedRecords(page)).filter((r) => r.kind !== 'page').map((r) => r.kind)).toEqual([]);

  // The partner's own view of the report shows its 2 photos.
  await outboxItem(page, title).getByRole('link', { name: 'Open your report' }).click();
  await expect(page.getByRole('link', { name: 'Photos (2)' })).toBeVisible();
});

test('a Submit while photos are still on their way (online) sends them before the report: none refused as "not editable", none twice', async ({ page }) => {
  const { partner, title } = await newPartnerOnForm(page, 'onphoto');
  await expect(page.getByText(/^Draft saved at/)).toBeVisible();
  // Uploads get no answer for now: both photos fail with Retry, still the form's.
  await page.route('**/photos/upload', (route) => route.abort());
  await page.getByLabel('Add photos').setInputFiles(await twoPhotos());
  await expect(page.getByRole('button', { name: /^Retry / })).toHaveCount(2);
  await page.getByRole('button', { name: 'Submit report' }).click();
  // The outbox holds them now; the uploads get through again and the outbox sends by itself.
  await expect(page.getByRole('status').filter({ hasText: /Saved on this phone|Sending your report/ }).first()).toBeVisible();
  await page.unroute('**/photos/upload');
  await expect(page.getByText(/^Your report was submitted at /)).toBeVisible({ timeout: 20_000 });
  const [report, ...others] = reportsWithPhotos(partner.id);
  expect(others).toEqual([]);
  expect(report).toMatchObject({ title, status: 'submitted', submissions: 1 });
  expect(report!.photoClientIds).toHaveLength(2);
  expect(new Set(report!.photoClientIds).size).toBe(2);
});

test('a reload while photos wait for the first save puts them back in the form, and wiping the device leaves nothing of them', async ({ page, context }) => {
  const partner = await createTestAccount('partner', 'wipephoto');
  await signIn(page, partner.codeName, partner.password, /\/partner$/);
  await waitUntilKeptForOffline(page);
  await page.goto('/partner/reports/new');
  await expect(page.getByLabel('Add photos')).toBeVisible();
  await context.setOffline(true);
  await page.getByLabel('Title').fill(uniqueTitle('Kept with its photos'));
  await page.getByLabel('Add photos').setInputFiles(await twoPhotos());
  const queue = page.getByRole('list', { name: 'Uploads' });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect.poll(async () => (await storedRecords(page)).filter((r) => r.kind === 'photo-file').length).toBe(2);

  // Offline, the form comes back from the device with its text and both photos.
  await page.reload();
  await expect(page.getByLabel('Title')).toHaveValue(/^Kept with its photos/);
  await expect(page.getByRole('list', { name: 'Uploads' }).getByRole('listitem')).toHaveText([/trucks-at-the-bridge\.png/, /loading-yard\.png/]);

  await page.goto('/partner');
  // The wipe asks first (a form copy exists only on this phone): the partner confirms.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Wipe this device' }).click();
  await expect(page.getByText('Nothing of your work is kept on this device now.')).toBeVisible();
  expect(await storedRecords(page)).toEqual([]);
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).toEqual([]);
  await context.setOffline(false);
});
