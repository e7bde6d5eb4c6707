/**
 * Sealed at rest, the canary test (issue 15, "How it is shown"). A copied or seized disk must
 * reveal nothing that a partner, an editor or an admin wrote.
 *
 * The spec runs its own server (e2e/server.ts with BUILD=0, on a free port, a temporary DATA_DIR
 * and a key file outside it whose key is the one a newsroom passphrase gives), so it can stop and
 * restart it without disturbing the suite's shared server. It then:
 * 1. types a distinct canary into every field the app lets people write — the partner's report
 *    (title, narrative, place detail, time note, safety note, vehicle colours and cargo, goods
 *    description and unit, an "other" agency's name, a row note), a photo caption and its change,
 *    a message each way, an internal note, an editor's correction of title and narrative, a
 *    grading note, an account's code name (also tried at sign-in, for the throttle store) — and
 *    uploads a photo whose EXIF carries canaries and whose pixels start with a random run; the
 *    report goes through autosave, submit, review, edit, verify and publish (with none of the
 *    canaries public), then `npm run backup` runs beside the server;
 * 2. stops the server and searches every file under DATA_DIR (database, -wal, -shm, throttle
 *    store, uploads, backups, logs), the server processes' temp folder (TMPDIR), their output and
 *    the build output for each canary as UTF-8, UTF-16LE, UTF-16BE and base64 (every alignment),
 *    in its case and lower-cased, and for the photo's bytes (as uploaded, stored and thumbnailed)
 *    and its random pixel run: 0 hits;
 * 3. restarts the server (server.ts, as `npm start`) on the same DATA_DIR without the key file: everything answers 503, a
 *    wrong passphrase at /unseal leaves it sealed, the right one opens it; the editor then finds
 *    the report with every canary, the photo and the messages, and the admin the account; after
 *    that second run the data folder still holds none of the canaries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import exifr from 'exifr';
import sharp from 'sharp';
import { applyDatabaseKey } from '../db/client';
import { freePort } from '../lib/testing/net';
import { deriveKey } from '../lib/at-rest/keys';
import { keyFromPassphrase, PASSPHRASE_FILE, writeNewPassphraseFile } from '../lib/at-rest/passphrase';
import { expect, signIn, signInAs, test, type DemoAccount } from './fixtures';
import { demoReport, field, fillReportParts, fillReportRows, reportIdFromUrl, type DemoReport } from './partner-form';

// ---------------------------------------------------------------------------------------------
// Canaries: one per field, letters and digits only, so no escaping (HTML, JSON, URL) and no
// tokenizer splits them; the lower-cased copy is searched too (code names are compared
// case-insensitively, and anything may lower-case them on the way to disk).
// ---------------------------------------------------------------------------------------------

const RUN = crypto.randomBytes(4).toString('hex').toUpperCase();
const canary = (tag: string) => `CANARY${RUN}${tag}${crypto.randomBytes(5).toString('hex').toUpperCase()}`;

/** Every canary, named by the field it goes into. The code name's is at most 40 characters. */
const C = {
  title: canary('TITLE'),
  narrative: canary('NARRATIVE'),
  placeDetail: canary('PLACEDETAIL'),
  timeNote: canary('TIMENOTE'),
  safetyNote: canary('SAFETYNOTE'),
  vehicleColours: canary('COLOURS'),
  vehicleCargo: canary('CARGO'),
  goodsDescription: canary('GOODSDESC'),
  goodsUnit: canary('UNIT'),
  otherAgencyName: canary('OTHERAGENCY'),
  agencyNote: canary('ROWNOTE'),
  photoCaption: canary('CAPTION'),
  photoCaptionChanged: canary('RECAPTION'),
  partnerMessage: canary('PARTNERMSG'),
  editorMessage: canary('EDITORMSG'),
  internalNote: canary('INTERNALNOTE'),
  editorTitle: canary('EDITEDTITLE'),
  editorNarrative: canary('EDITEDNARRATIVE'),
  gradingNote: canary('GRADINGNOTE'),
  codeName: canary('CODENAME'),
  exifDescription: canary('EXIFDESCRIPTION'),
  exifArtist: canary('EXIFARTIST'),
} as const;

/** What the public may see: none of it is a canary. */
const PUBLIC_TITLE = 'Trucks cross the river after dark';
const PUBLIC_SUMMARY = 'Trucks crossed the river after dark and came back before dawn.';

const PASSPHRASE = `correct horse battery staple ${crypto.randomBytes(6).toString('hex')}`;
const WRONG_PASSPHRASE = `${PASSPHRASE} but wrong`;

/**
 * The report the partner files: demo report 1's times and place, a canary in every text field.
 * Cast because DemoReport is the union of the demo file's shapes (some have no rows at all);
 * the form helpers read these fields by name.
 */
function canaryReport(): DemoReport {
  const report = {
    ...demoReport(0),
    title: C.title,
    narrative: C.narrative,
    place_detail: C.placeDetail,
    time_note: C.timeNote,
    safety_note: C.safetyNote,
    vehicles: [
      { type: 'truck', count: 7, estimate: false, direction: 'into_kp', colours: C.vehicleColours, cargo: C.vehicleCargo },
      // No text at all: the one row that goes public.
      { type: 'bus', count: 3, estimate: true, direction: 'out_of_kp', colours: '', cargo: '' },
    ],
    goods: [{ category: 'electronics', description: C.goodsDescription, direction: 'into_kp', quantity: 3, unit: C.goodsUnit }],
    agencies: [{ agency: 'other', other_name: C.otherAgencyName, role: 'operator', note: C.agencyNote }],
  };
  return report as unknown as DemoReport;
}

// ---------------------------------------------------------------------------------------------
// Needles and the search
// ---------------------------------------------------------------------------------------------

type Needle = { what: string; encoding: string; bytes: Buffer };
type Hit = { what: string; encoding: string; file: string; offset: number };

/** Base64 of `bytes` up to the last whole 3-byte group (the part that does not depend on what follows). */
function base64Core(bytes: Buffer, url: boolean): string {
  return bytes.subarray(0, bytes.length - (bytes.length % 3)).toString(url ? 'base64url' : 'base64');
}

/**
 * A text in every form it could take on disk: UTF-8, UTF-16LE, UTF-16BE, and base64 (standard
 * and URL-safe) at the three alignments — the text at a multiple of 3 bytes into the encoded data,
 * or 1 or 2 bytes after one (then the group holding its first bytes depends on the byte before, so
 * the needle starts at its 3rd or 2nd byte) — for the text as written and lower-cased.
 */
function textNeedles(what: string, value: string): Needle[] {
  const needles: Needle[] = [];
  for (const [suffix, text] of [
    ['', value],
    [' (lower-cased)', value.toLowerCase()],
  ] as const) {
    const name = `${what}${suffix}`;
    const utf8 = Buffer.from(text, 'utf8');
    const utf16le = Buffer.from(text, 'utf16le');
    needles.push({ what: name, encoding: 'UTF-8', bytes: utf8 });
    needles.push({ what: name, encoding: 'UTF-16LE', bytes: utf16le });
    needles.push({ what: name, encoding: 'UTF-16BE', bytes: Buffer.from(utf16le).swap16() });
    for (const url of [false, true]) {
      for (const skip of [0, 1, 2]) {
        const core = base64Core(utf8.subarray(skip), url);
        if (url && core === base64Core(utf8.subarray(skip), false)) continue; // nothing URL-specific in it
        needles.push({ what: name, encoding: `${url ? 'base64url' : 'base64'} (from byte ${skip})`, bytes: Buffer.from(core, 'latin1') });
      }
    }
  }
  return needles;
}

/** Every file under `dir` (regular files only; symbolic links are not followed). */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * Needles grouped by a shared prefix: the canaries of one encoding all start with the same bytes
 * ("CANARY<run>" in that encoding), so each file is scanned once per group for the prefix and the
 * whole needles are compared only where it occurs. A needle with no long shared prefix is its own
 * group. This keeps a search of the ~100 MB build output to a second or two.
 */
function groupNeedles(needles: Needle[]): { prefix: Buffer; needles: Needle[] }[] {
  const byEncoding = new Map<string, Needle[]>();
  for (const needle of needles) {
    const key = `${needle.encoding}\0${needle.what.endsWith('(lower-cased)') ? 'lower' : 'as-is'}`;
    byEncoding.set(key, [...(byEncoding.get(key) ?? []), needle]);
  }
  const groups: { prefix: Buffer; needles: Needle[] }[] = [];
  for (const members of byEncoding.values()) {
    const first = members[0]!.bytes;
    let length = Math.min(...members.map((n) => n.bytes.length));
    for (const { bytes } of members) {
      let same = 0;
      while (same < length && bytes[same] === first[same]) same += 1;
      length = same;
    }
    if (members.length > 1 && length >= 8) groups.push({ prefix: first.subarray(0, length), needles: members });
    else for (const needle of members) groups.push({ prefix: needle.bytes, needles: [needle] });
  }
  return groups;
}

/** Where each needle occurs in `data` (first occurrence per needle). */
function searchBuffer(data: Buffer, groups: { prefix: Buffer; needles: Needle[] }[]): { needle: Needle; offset: number }[] {
  const found = new Map<Needle, number>();
  for (const { prefix, needles } of groups) {
    for (let at = data.indexOf(prefix); at !== -1; at = data.indexOf(prefix, at + 1)) {
      for (const needle of needles) {
        const end = at + needle.bytes.length;
        if (!found.has(needle) && end <= data.length && data.compare(needle.bytes, 0, needle.bytes.length, at, end) === 0) found.set(needle, at);
      }
    }
  }
  return [...found].map(([needle, offset]) => ({ needle, offset }));
}

/**
 * Read each file once and look for every needle.
 * @param maxBytes files larger than this are left out (only for the build output)
 */
function searchFiles(files: string[], needles: Needle[], { maxBytes = Infinity }: { maxBytes?: number } = {}): { hits: Hit[]; files: number; bytes: number } {
  const groups = groupNeedles(needles);
  const hits: Hit[] = [];
  let bytes = 0;
  let searched = 0;
  for (const file of files) {
    const size = fs.statSync(file).size;
    if (size > maxBytes) continue;
    const data = fs.readFileSync(file);
    bytes += data.length;
    searched += 1;
    for (const { needle, offset } of searchBuffer(data, groups)) hits.push({ what: needle.what, encoding: needle.encoding, file, offset });
  }
  return { hits, files: searched, bytes };
}

function describeHits(hits: Hit[]): string {
  return hits.map((h) => `${h.what} as ${h.encoding} in ${h.file} at byte ${h.offset}`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// The photo: random first rows (a pixel run no other file can hold), a pattern below, and EXIF
// text that must never reach the disk.
// ---------------------------------------------------------------------------------------------

const PHOTO_WIDTH = 320;
const PHOTO_HEIGHT = 200;
const NOISE_ROWS = 16;

function photoPixels(): Buffer {
  const pixels = Buffer.alloc(PHOTO_WIDTH * PHOTO_HEIGHT * 3);
  crypto.randomFillSync(pixels, 0, PHOTO_WIDTH * NOISE_ROWS * 3);
  for (let y = NOISE_ROWS; y < PHOTO_HEIGHT; y++) {
    for (let x = 0; x < PHOTO_WIDTH; x++) {
      const i = (y * PHOTO_WIDTH + x) * 3;
      pixels[i] = (x * 5 + y * 3) & 0xff;
      pixels[i + 1] = (x * y) & 0xff;
      pixels[i + 2] = ((x ^ y) * 7) & 0xff;
    }
  }
  return pixels;
}

/** 3 windows of 32 bytes from the compressed scan of a baseline JPEG (after SOS, before EOI). */
function jpegScanWindows(jpeg: Buffer): Buffer[] {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  expect(sos, 'the JPEG has a scan').toBeGreaterThan(0);
  const start = sos + 2 + jpeg.readUInt16BE(sos + 2);
  const end = jpeg.lastIndexOf(Buffer.from([0xff, 0xd9]));
  expect(end - start, 'the scan is long enough for three windows').toBeGreaterThan(4 * 32);
  return [1, 2, 3].map((k) => jpeg.subarray(start + Math.floor(((end - start) * k) / 4), start + Math.floor(((end - start) * k) / 4) + 32));
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

type Proc = { name: string; child: ChildProcess; logFile: string; exit: Promise<void> };

/** Start a command in its own process group, its output teed to `logFile`. */
function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Proc {
  const log = fs.createWriteStream(logFile);
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  // Safety net: if this worker exits without its afterAll (interrupted run), take the group along.
  const killGroup = () => child.pid && signalGroup(child.pid, 'SIGKILL');
  process.once('exit', killGroup);
  const exit = new Promise<void>((resolve) =>
    child.on('close', () => {
      process.off('exit', killGroup);
      log.end(() => resolve());
    }),
  );
  return { name, child, logFile, exit };
}

function isRunning(proc: Proc): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Stop a process and everything it started (SIGTERM to its group, SIGKILL after 20 s), and wait
 * until the whole group has exited, so no file is still being written when it is searched.
 */
async function stopProcess(proc: Proc | null) {
  if (!proc?.child.pid) return;
  const pid = proc.child.pid;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (groupAlive(pid) && Date.now() < deadline) await delay(100);
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (groupAlive(pid)) await delay(50);
  await proc.exit;
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no output)';
}

/** Poll `url` until it answers `status` (bounded; fails at once if the process has exited). */
async function waitForStatus(proc: Proc, url: string, status: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(proc)) throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${url} answered ${status}:\n${tail(proc.logFile)}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status === status) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
    await delay(200);
  }
}

async function runToEnd(proc: Proc, timeoutMs: number): Promise<number | null> {
  const timer = delay(timeoutMs).then(() => 'timeout' as const);
  const outcome = await Promise.race([proc.exit.then(() => 'exited' as const), timer]);
  if (outcome === 'timeout') {
    await stopProcess(proc);
    throw new Error(`${proc.name} did not finish within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
  }
  return proc.child.exitCode;
}

// ---------------------------------------------------------------------------------------------
// Shared state of the serial tests
// ---------------------------------------------------------------------------------------------

const buildDir = path.resolve(process.env.NEXT_DIST_DIR || '.next');
// Made in beforeAll (not at load: the runner loads this file too, and would leave a folder behind).
let root = '';
let dataDir = '';
let keyFile = ''; // beside DATA_DIR, never in it
let tmpDir = ''; // TMPDIR of the servers and the backup: their temp files are searched too
let inputDir = ''; // the photo as the partner's phone has it (holds canaries by design; not searched)
let saltDir = '';

let port = 0;
let base = '';
let server: Proc | null = null;
let reportId = 0;
let photoId = 0;
let photoFile = '';
let uploaded: Buffer = Buffer.alloc(0);
let rawPixels: Buffer = Buffer.alloc(0);
let servedPhoto: Buffer = Buffer.alloc(0);
let servedThumb: Buffer = Buffer.alloc(0);
let dataKeyHex = '';

/** Everything searched for: the canaries in every encoding, the photo's bytes and pixel runs. */
function allNeedles(): Needle[] {
  const needles = Object.entries(C).flatMap(([name, value]) => textNeedles(`${name} canary`, value));
  const raw = (what: string, bytes: Buffer): Needle => ({ what, encoding: 'raw bytes', bytes });
  jpegScanWindows(uploaded).forEach((w, i) => needles.push(raw(`uploaded photo, scan window ${i + 1}`, w)));
  jpegScanWindows(servedPhoto).forEach((w, i) => needles.push(raw(`stored photo, scan window ${i + 1}`, w)));
  jpegScanWindows(servedThumb).forEach((w, i) => needles.push(raw(`thumbnail, scan window ${i + 1}`, w)));
  needles.push(raw('photo pixel run (first row, RGB)', rawPixels.subarray(0, 96)));
  return needles;
}

/** A new browser context on our server, signed in as a demo account (close it when done). */
async function contextAs(browser: Browser, account: DemoAccount): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await signInAs(page, account);
  return { context, page };
}

/** GET a URL of our server from the test process, not following redirects. */
async function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${base}${pathname}`, { redirect: 'manual', headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

test.describe('sealed at rest: canaries', () => {
  test.describe.configure({ mode: 'serial', timeout: 150_000 });

  test.beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-canary-'));
    [dataDir, keyFile, tmpDir, inputDir, saltDir] = ['data', 'data.key', 'tmp', 'input', 'salt'].map((name) => path.join(root, name)) as [string, string, string, string, string];
    for (const dir of [tmpDir, inputDir, saltDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    port = await freePort();
    base = `http://localhost:${port}`;
    // The key file holds the key the passphrase gives with a salt chosen now (e2e/server.ts wipes
    // DATA_DIR when it starts, so passphrase.json is put there once the server is up).
    writeNewPassphraseFile(saltDir);
    dataKeyHex = (await keyFromPassphrase(PASSPHRASE, saltDir)).toString('hex');
    fs.writeFileSync(keyFile, `${dataKeyHex}\n`, { mode: 0o600 });

    rawPixels = photoPixels();
    uploaded = await sharp(rawPixels, { raw: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 } })
      .jpeg({ quality: 92 })
      .withExif({ IFD0: { ImageDescription: C.exifDescription, Artist: C.exifArtist } })
      .toBuffer();
    // Positive control: the file really carries the EXIF canaries.
    expect(await exifr.parse(uploaded, { tiff: true })).toMatchObject({ ImageDescription: C.exifDescription, Artist: C.exifArtist });
    photoFile = path.join(inputDir, 'crossing.jpg');
    fs.writeFileSync(photoFile, uploaded);
  });

  test.afterAll(async () => {
    await stopProcess(server);
    server = null;
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('canaries go in through every form: partner, editor, admin, then a backup', async ({ browser }) => {
    server = startProcess(
      'e2e/server.ts',
      'node_modules/.bin/tsx',
      ['--conditions=react-server', 'e2e/server.ts'],
      {
        ...process.env,
        BUILD: '0',
        E2E_DATA_DIR: dataDir,
        E2E_PORT: String(port),
        FIELD_REPORTS_KEY_FILE: keyFile,
        NEXTAUTH_URL: base,
        NEXT_TELEMETRY_DISABLED: '1',
        TMPDIR: tmpDir,
      },
      path.join(root, 'server-output.log'),
    );
    await waitForStatus(server, `${base}/api/health`, 200, 90_000);
    fs.copyFileSync(path.join(saltDir, PASSPHRASE_FILE), path.join(dataDir, PASSPHRASE_FILE));
    fs.chmodSync(path.join(dataDir, PASSPHRASE_FILE), 0o600);

    // --- The partner: the report, left to autosave, its photo, submit, a message. ---
    const partner = await contextAs(browser, 'partner-k17');
    const p = partner.page;
    await p.getByRole('link', { name: 'File a new report' }).click();
    await expect(p.getByRole('heading', { level: 1, name: 'New report' })).toBeVisible();
    const report = canaryReport();
    await fillReportParts(p, report);
    await fillReportRows(p, report);
    // Autosave: saved on the server (not only kept on the device) with every value above.
    await expect(p).toHaveURL(/\/partner\/reports\/\d+\/edit$/);
    await expect
      .poll(async () => {
        const saved = await p.getByText(/^Draft saved at/).isVisible();
        const kept = await p.evaluate(() => Object.keys(window.localStorage).filter((key) => key.startsWith('fr.report-draft.')).length);
        return saved && kept === 0;
      }, { timeout: 30_000 })
      .toBe(true);

    // The form is still the "new report" page (its address replaced in place): the photos page
    // of the draft it made is reached by its address.
    reportId = reportIdFromUrl(p.url());
    await p.goto(`/partner/reports/${reportId}/photos`);
    await p.getByLabel('Photo', { exact: true }).setInputFiles(photoFile);
    await p.getByLabel('Caption (optional)').fill(C.photoCaption);
    await p.getByRole('button', { name: 'Upload' }).click();
    await expect(p.getByText('1 of 10 photos')).toBeVisible();
    const thumbnail = p.getByRole('img', { name: C.photoCaption });
    await expect(thumbnail).toBeVisible();
    photoId = Number(/^\/photos\/(\d+)/.exec((await thumbnail.getAttribute('src')) ?? '')?.[1]);
    expect(photoId).toBeGreaterThan(0);
    await p.getByLabel('Caption of photo 1').fill(C.photoCaptionChanged);
    await p.getByRole('button', { name: 'Save caption' }).click();
    await expect(p.getByRole('status').filter({ hasText: 'Caption saved.' })).toBeVisible();

    await p.getByRole('link', { name: 'Back to the report' }).click();
    await p.getByRole('link', { name: 'Continue editing' }).click();
    await expect(field(p, 'Title')).toHaveValue(C.title);
    await p.getByRole('button', { name: 'Submit report' }).click();
    await expect(p).toHaveURL(/\/partner\/reports\/\d+\?submitted=1$/);
    await expect(p.getByText('Your report was submitted.')).toBeVisible();
    expect(reportIdFromUrl(p.url())).toBe(reportId);
    await p.getByLabel('Reply to the editors').fill(C.partnerMessage);
    await p.getByRole('button', { name: 'Send message' }).click();
    await expect(p.getByRole('status').filter({ hasText: 'Message sent.' })).toBeVisible();

    // --- The editor: claim, internal note, message, correction, grade, publish without canaries. ---
    const editor = await contextAs(browser, 'editor');
    const e = editor.page;
    await e.getByRole('link', { name: new RegExp(C.title) }).click();
    await expect(e.getByRole('heading', { level: 1, name: C.title })).toBeVisible();
    await e.getByRole('button', { name: 'Claim' }).click();
    await expect(e.getByRole('status').filter({ hasText: 'Report claimed. It is now in review.' })).toBeVisible();

    const note = e.getByRole('form', { name: 'Internal note' });
    await note.getByLabel('Text').fill(C.internalNote);
    await note.getByRole('button', { name: 'Add internal note' }).click();
    await expect(e.getByRole('status').filter({ hasText: 'Internal note added.' })).toBeVisible();
    const message = e.getByRole('form', { name: 'Message to the partner', exact: true });
    await message.getByLabel('Text').fill(C.editorMessage);
    await message.getByRole('button', { name: 'Send to the partner' }).click();
    await expect(e.getByRole('status').filter({ hasText: 'Message sent to the partner.' })).toBeVisible();

    await e.getByRole('link', { name: 'Edit this report' }).click();
    await e.getByLabel('Title').fill(C.editorTitle);
    await e.getByLabel('Narrative').fill(C.editorNarrative);
    await e.getByRole('button', { name: 'Save changes' }).last().click();
    await expect(e.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();

    await e.goto(`/editor/reports/${reportId}`);
    const verify = e.getByRole('form', { name: 'Verify' });
    await verify.getByLabel('Source reliability').selectOption('B');
    await verify.getByLabel('Information credibility').selectOption('2');
    await verify.getByLabel('Grading note').fill(C.gradingNote);
    await verify.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(e.getByRole('status').filter({ hasText: 'Report verified.' })).toBeVisible();

    // The photo as the server stores and serves it (searched for on disk later).
    const full = await e.request.get(`/photos/${photoId}`);
    expect(full.status()).toBe(200);
    servedPhoto = await full.body();
    const thumb = await e.request.get(`/photos/${photoId}?size=thumb`);
    expect(thumb.status()).toBe(200);
    servedThumb = await thumb.body();
    expect(servedPhoto.includes(C.exifDescription), 'the served photo has no EXIF text').toBe(false);

    await e.goto(`/editor/reports/${reportId}/publish`);
    await e.getByLabel('Public title (English)').fill(PUBLIC_TITLE);
    await e.getByLabel('Public summary (English)').fill(PUBLIC_SUMMARY);
    const canaryRows = e.getByRole('checkbox', { name: /CANARY/ });
    await expect(canaryRows).toHaveCount(3); // vehicle (colours, cargo), goods (description, unit), agency (other name)
    for (const box of await canaryRows.all()) await box.uncheck();
    await expect(e.getByRole('checkbox', { name: /Bus/ })).toBeChecked();
    await expect(e.getByRole('checkbox', { name: 'Publish photo 1' })).not.toBeChecked();
    await e.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(e.getByRole('status')).toContainText('Published. The public page now shows this snapshot.');
    const publicHref = await e.getByRole('link', { name: 'Open the public page' }).getAttribute('href');
    const publicPage = await get(publicHref ?? '/missing');
    expect(publicPage.status).toBe(200);
    expect(publicPage.body).toContain(PUBLIC_TITLE);
    expect(publicPage.body, 'no canary is public').not.toMatch(/canary/i);

    // --- The admin: an account with a canary code name; then a failed sign-in with it. ---
    const admin = await contextAs(browser, 'admin');
    const a = admin.page;
    await a.getByLabel('Code name').fill(C.codeName);
    await a.getByLabel('Role').selectOption('partner');
    await a.getByRole('button', { name: 'Create account' }).click();
    await expect(a.getByText(`Account ${C.codeName} (partner) created.`)).toBeVisible();
    const stranger = await browser.newContext({ baseURL: base });
    const s = await stranger.newPage();
    await signIn(s, C.codeName, `not-the-password-${RUN}`);
    await expect(s.getByText('Sign-in failed: the code name or password is not right.')).toBeVisible();

    await Promise.all([partner.context.close(), editor.context.close(), admin.context.close(), stranger.close()]);

    // --- A backup while the server runs, with the key file as production would. ---
    const backup = startProcess(
      'npm run backup',
      'npm',
      ['run', 'backup'],
      { ...process.env, DATA_DIR: dataDir, FIELD_REPORTS_KEY_FILE: keyFile, TMPDIR: tmpDir },
      path.join(root, 'backup-output.log'),
    );
    expect(await runToEnd(backup, 90_000), `npm run backup failed:\n${tail(backup.logFile)}`).toBe(0);
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toHaveLength(1);
  });

  test('stopped, no file under DATA_DIR, in its temp folder, its logs or the build holds a canary, in any encoding', async () => {
    await stopProcess(server);
    server = null;
    const needles = allNeedles();

    // Positive control: the search finds a canary in every encoding it claims to search.
    const sample = Buffer.concat([Buffer.from('x'), ...textNeedles('control', C.title).map((n) => Buffer.concat([n.bytes, Buffer.from('|')]))]);
    const control = searchBuffer(sample, groupNeedles(textNeedles('control', C.title)));
    expect(control).toHaveLength(textNeedles('control', C.title).length);
    for (const skip of [0, 1, 2]) {
      const encoded = Buffer.from(Buffer.concat([crypto.randomBytes(skip), Buffer.from(C.title)]).toString('base64'));
      expect(searchBuffer(encoded, groupNeedles(textNeedles('control', C.title))).length, `base64 after ${skip} bytes`).toBeGreaterThan(0);
    }
    expect(searchFiles([photoFile], needles).hits.map((h) => h.what)).toEqual(expect.arrayContaining(['exifDescription canary', 'exifArtist canary', 'uploaded photo, scan window 2']));
    // And on the real data: decrypted (as a plain-text copy would be), the database holds every
    // canary typed into a form, so 0 hits below means encrypted, not missed.
    const databaseFile = path.join(dataDir, 'field-reports.db');
    const db = new Database(databaseFile, { readonly: true });
    const plainPages = (() => {
      try {
        applyDatabaseKey(db, deriveKey(Buffer.from(dataKeyHex, 'hex'), 'database'), databaseFile);
        return db.serialize();
      } finally {
        db.close();
      }
    })();
    const inPlainDatabase = new Set(searchBuffer(plainPages, groupNeedles(needles)).map((h) => h.needle.what));
    const typedInForms = Object.keys(C).filter((name) => !['exifDescription', 'exifArtist', 'photoCaption'].includes(name)); // EXIF is stripped; the first caption was replaced
    expect([...inPlainDatabase].sort()).toEqual(expect.arrayContaining(typedInForms.map((name) => `${name} canary`)));

    const dataFiles = listFiles(dataDir);
    const names = dataFiles.map((f) => path.relative(dataDir, f));
    // What must be there for the search to mean something.
    expect(names).toEqual(expect.arrayContaining(['field-reports.db', 'sign-in-throttle.db', 'server.log', PASSPHRASE_FILE]));
    expect(names.some((n) => n.startsWith(`uploads${path.sep}`))).toBe(true);
    expect(names.some((n) => n.startsWith(`backups${path.sep}`))).toBe(true);

    const ours = searchFiles([...dataFiles, ...listFiles(tmpDir), path.join(root, 'server-output.log'), path.join(root, 'backup-output.log')], needles);
    const build = searchFiles(listFiles(buildDir), needles, { maxBytes: 50 * 1024 * 1024 });
    expect(build.files).toBeGreaterThan(100);
    const hits = [...ours.hits, ...build.hits];
    expect(hits, `Canaries found at rest:\n${describeHits(hits)}`).toEqual([]);
  });

  test('restarted without the key it is sealed; a wrong passphrase keeps it sealed; the right one brings everything back', async ({ browser }) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      NEXTAUTH_SECRET: crypto.randomBytes(48).toString('base64'),
      NEXTAUTH_URL: base,
      FIELD_REPORTS_DEMO: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      SESSION_MAX_AGE_HOURS: '8',
      TMPDIR: tmpDir,
      NODE_ENV: 'production',
    };
    delete env.FIELD_REPORTS_KEY_FILE; // the point: no key on this start
    const restartLog = path.join(root, 'restart-output.log');
    server = startProcess('npm start (no key)', process.execPath, ['--import', 'tsx', 'server.ts'], { ...env, HOST: '127.0.0.1', PORT: String(port) }, restartLog);
    await waitForStatus(server, `${base}/unseal`, 200, 60_000);

    // Sealed: every address answers the notice, with nothing of the data in it.
    for (const pathname of ['/', '/reports', '/partner', '/api/health', `/editor/reports/${reportId}`, `/photos/${photoId}`, `/photos/${photoId}?size=thumb`]) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(503);
      expect(response.headers.get('retry-after'), pathname).toMatch(/^\d+$/);
      expect(response.body, pathname).toContain('Field Reports is paused');
      expect(response.body, pathname).not.toMatch(/canary/i);
    }

    // Headers a client controls do not step around the notice (prefetch markers once skipped proxy.ts).
    const markers: Record<string, string>[] = [{ 'next-router-prefetch': '1' }, { purpose: 'prefetch' }, { 'next-router-prefetch': '1', rsc: '1' }];
    for (const marker of markers) {
      for (const pathname of ['/', '/api/health', '/sign-in', `/photos/${photoId}`]) {
        const response = await get(pathname, marker);
        expect(response.status, `${pathname} ${JSON.stringify(marker)}`).toBe(503);
      }
    }
    // No image optimizer: it would keep clear copies of public photos under .next/cache/images.
    expect((await get(`/_next/image?url=%2Fphotos%2F${photoId}&w=64&q=75`)).status).toBe(503);

    // A partner whose report form (loaded before the server was sealed) is sent with scripts off:
    // nothing is saved, and what they typed comes back on the notice so it is not lost — without
    // the form's machinery or a password.
    const typedTitle = `Typed while sealed ${RUN}`;
    const sealedPost = await fetch(`${base}/partner/reports/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ $ACTION_REF_1: '', clientId: 'c0ffee', title: typedTitle, narrative: 'Trucks <b>crossed</b>\nat dawn', password: 'never-echo-this-pw' }),
    });
    const sealedBody = await sealedPost.text();
    expect(sealedPost.status).toBe(503);
    expect(sealedBody).toContain('Nothing you sent was saved');
    expect(sealedBody).toContain(`>${typedTitle}</textarea>`);
    expect(sealedBody).toContain('Trucks &lt;b&gt;crossed&lt;/b&gt;\nat dawn</textarea>');
    expect(sealedBody).not.toContain('never-echo-this-pw');
    expect(sealedBody).not.toContain('c0ffee');

    const visitor = await browser.newContext({ baseURL: base });
    const v = await visitor.newPage();
    await v.goto('/unseal');
    await v.getByLabel('Newsroom passphrase').fill(WRONG_PASSPHRASE);
    await v.getByRole('button', { name: 'Unlock' }).click();
    await expect(v.getByRole('alert')).toContainText('That passphrase does not open the data');
    expect((await get('/')).status).toBe(503);

    await v.getByLabel('Newsroom passphrase').fill(PASSPHRASE);
    await v.getByRole('button', { name: 'Unlock' }).click();
    await expect(v).toHaveURL(`${base}/`);
    expect((await get('/api/health')).status).toBe(200);
    await visitor.close();
    for (const url of [`/_next/image?url=%2Fphotos%2F${photoId}&w=64&q=75`, '/_next/image?url=%2Ficon.svg&w=64&q=75']) {
      expect((await get(url)).status, url).toBe(404);
    }

    // The editor finds the report: every canary of it back on the review page, photo and messages too.
    const editor = await contextAs(browser, 'editor');
    const e = editor.page;
    await e.getByRole('link', { name: new RegExp(C.editorTitle) }).click();
    await expect(e.getByRole('heading', { level: 1, name: C.editorTitle })).toBeVisible();
    await e.getByText(/As the partner submitted it/).click();
    const main = e.getByRole('main');
    const onReviewPage = [
      'title',
      'narrative',
      'placeDetail',
      'timeNote',
      'safetyNote',
      'vehicleColours',
      'vehicleCargo',
      'goodsDescription',
      'goodsUnit',
      'otherAgencyName',
      'agencyNote',
      'photoCaptionChanged',
      'partnerMessage',
      'editorMessage',
      'internalNote',
      'editorTitle',
      'editorNarrative',
      'gradingNote',
    ] as const satisfies readonly (keyof typeof C)[];
    for (const name of onReviewPage) await expect(main, name).toContainText(C[name]);
    const photos = e.getByRole('region', { name: 'Photos (1)' });
    await photos.getByRole('heading', { name: 'Photos (1)' }).click(); // folded on a verified report
    const img = photos.getByRole('img', { name: C.photoCaptionChanged });
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

    const photo = await e.request.get(`/photos/${photoId}`);
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/jpeg');
    const bytes = await photo.body();
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(bytes.equals(servedPhoto), 'the same photo as before the restart').toBe(true);
    const decoded = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 });
    await editor.context.close();

    // The admin finds the account.
    const admin = await contextAs(browser, 'admin');
    await expect(admin.page.getByRole('link', { name: C.codeName })).toBeVisible();
    await admin.context.close();

    // After a working session on the unsealed server, the data folder still holds no canary.
    await stopProcess(server);
    server = null;
    const after = searchFiles([...listFiles(dataDir), ...listFiles(tmpDir), restartLog], allNeedles());
    expect(after.hits, `Canaries found at rest after unsealing:\n${describeHits(after.hits)}`).toEqual([]);
    // The key file's key is the one the passphrase gives with the salt now in DATA_DIR.
    expect((await keyFromPassphrase(PASSPHRASE, dataDir)).toString('hex')).toBe(dataKeyHex);
  });
});
