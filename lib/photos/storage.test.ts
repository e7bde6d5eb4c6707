/**
 * Photo file storage on a real temp directory: server-made names, durable write order
 * (fsync file → rename → fsync directory), strict name validation, the orphan sweep, and files
 * that are ciphertext on disk — temp files too — and open only with the photos key under their own
 * name, intact (issue 15; docs/security/encryption-at-rest.md).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import fs from 'node:fs/promises';
import os from 'node:os';
import crypto from 'node:crypto';
import path from 'node:path';
import { openBytes } from '@/lib/at-rest/envelope';
import { getDerivedKey } from '@/lib/at-rest/keys';
import { sanitizeImage, type SanitizedImageBytes } from './sanitize';
import {
  deletePhotoFile,
  getUploadsDir,
  isValidStorageName,
  mimeTypeOfStorageName,
  readPhotoFile,
  storePhotoFile,
  sweepOrphans,
} from './storage';
import type { PhotoMimeType } from './rules';
import { cameraJpeg, FORBIDDEN_BYTES, noisyImage, PNG_SIGNATURE, SECRET_NAME } from './test-images';
import { findSharedRun, openStoredPhoto } from './test-stored-files';

let workDir: string;
let uploadsDir: string;

beforeEach(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photos-storage-'));
  uploadsDir = path.join(workDir, 'uploads');
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await fs.rm(workDir, { recursive: true, force: true });
});

async function samplePhoto(format: 'jpeg' | 'png' | 'webp' = 'jpeg'): Promise<{
  data: SanitizedImageBytes;
  mimeType: PhotoMimeType;
}> {
  const input = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#c33' } })
    .toFormat(format)
    .toBuffer();
  const result = await sanitizeImage(input);
  if (!result.ok) throw new Error(`sample photo refused: ${result.reason}`);
  return { data: result.data, mimeType: result.mimeType };
}

const HOUR = 60 * 60 * 1000;

describe('storePhotoFile', () => {
  it('stores under a random server-made name with the extension of the sanitised type', async () => {
    const jpeg = await samplePhoto('jpeg');
    const png = await samplePhoto('png');
    const webp = await samplePhoto('webp');

    const a = await storePhotoFile({ dir: uploadsDir, ...jpeg });
    const b = await storePhotoFile({ dir: uploadsDir, ...jpeg });
    const c = await storePhotoFile({ dir: uploadsDir, ...png });
    const d = await storePhotoFile({ dir: uploadsDir, ...webp });

    expect(a.storageName).toMatch(/^[a-f0-9]{32}\.jpg$/);
    expect(b.storageName).toMatch(/^[a-f0-9]{32}\.jpg$/);
    expect(a.storageName).not.toBe(b.storageName);
    expect(c.storageName).toMatch(/^[a-f0-9]{32}\.png$/);
    expect(d.storageName).toMatch(/^[a-f0-9]{32}\.webp$/);
    expect(openStoredPhoto(uploadsDir, a.storageName)).toEqual(jpeg.data);
  });

  it('leaves only the final file (no temp file) and keeps it private to the server user', async () => {
    const photo = await samplePhoto();
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo });

    expect(await fs.readdir(uploadsDir)).toEqual([storageName]);
    const stat = await fs.stat(path.join(uploadsDir, storageName));
    expect(stat.mode & 0o777).toBe(0o600);
    expect((await fs.stat(uploadsDir)).mode & 0o077).toBe(0);
  });

  it('syncs the file before the rename and the directory after it', async () => {
    const events: string[] = [];
    const realOpen = fs.open.bind(fs);
    vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
      const handle = await realOpen(...args);
      const name = path.basename(String(args[0]));
      const realSync = handle.sync.bind(handle);
      vi.spyOn(handle, 'sync').mockImplementation(async () => {
        events.push(`sync ${name.startsWith('.tmp-') ? 'temp file' : name === 'uploads' ? 'directory' : name}`);
        return realSync();
      });
      return handle;
    });
    const realRename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      events.push('rename');
      return realRename(from, to);
    });

    await storePhotoFile({ dir: uploadsDir, ...(await samplePhoto()) });

    expect(events).toEqual(['sync temp file', 'rename', 'sync directory']);
  });

  it('removes its temp file and throws when the rename fails', async () => {
    vi.spyOn(fs, 'rename').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(storePhotoFile({ dir: uploadsDir, ...(await samplePhoto()) })).rejects.toThrow('EIO');
    expect(await fs.readdir(uploadsDir)).toEqual([]);
  });
});

describe('photo files at rest', () => {
  /** Image magic numbers a file type sniffer (or `file(1)`) looks for. */
  const MAGIC_NUMBERS: Record<string, Buffer> = {
    'JPEG SOI': Buffer.from([0xff, 0xd8, 0xff]),
    'PNG signature': PNG_SIGNATURE,
    'RIFF header': Buffer.from('RIFF', 'latin1'),
    'WEBP form type': Buffer.from('WEBP', 'latin1'),
  };

  function magicNumbersIn(bytes: Buffer): string[] {
    return Object.entries(MAGIC_NUMBERS)
      .filter(([, magic]) => bytes.includes(magic))
      .map(([name]) => name);
  }

  async function onDisk(storageName: string): Promise<Buffer> {
    return fs.readFile(path.join(uploadsDir, storageName));
  }

  it('writes no image magic number and no run of the image, for JPEG, PNG and WebP', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const photo = await samplePhoto(format);
      expect(magicNumbersIn(photo.data), format).not.toEqual([]); // positive control
      const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo });

      const sealed = await onDisk(storageName);
      expect(magicNumbersIn(sealed), format).toEqual([]);
      expect(findSharedRun(sealed, photo.data), format).toBeNull();
      expect(sealed.subarray(0, 4).toString('latin1')).toBe('FRE1');
      expect(sealed.length).toBe(photo.data.length + 32); // header 4 + nonce 12 + tag 16
    }
  });

  it('writes no pixel run, EXIF marker or camera string even of bytes that still carry them', async () => {
    // Cast past the sanitiser on purpose: the envelope alone must hide whatever reaches it.
    const uncompressedPng = await noisyImage(32, 24).png({ compressionLevel: 0 }).toBuffer();
    const pixels = await sharp(uncompressedPng).raw().toBuffer();
    const camera = await cameraJpeg();
    expect(findSharedRun(uncompressedPng, pixels)).not.toBeNull(); // positive controls
    expect(FORBIDDEN_BYTES.filter((needle) => camera.includes(Buffer.from(needle, 'latin1')))).toContain('Exif');
    expect(camera.includes(Buffer.from(SECRET_NAME))).toBe(true);

    const png = await storePhotoFile({ dir: uploadsDir, data: uncompressedPng as SanitizedImageBytes, mimeType: 'image/png' });
    const jpeg = await storePhotoFile({ dir: uploadsDir, data: camera as SanitizedImageBytes, mimeType: 'image/jpeg' });

    expect(findSharedRun(await onDisk(png.storageName), pixels)).toBeNull();
    const sealedCamera = await onDisk(jpeg.storageName);
    expect(FORBIDDEN_BYTES.filter((needle) => sealedCamera.includes(Buffer.from(needle, 'latin1')))).toEqual([]);
    expect(sealedCamera.includes(Buffer.from(SECRET_NAME))).toBe(false);
    expect(findSharedRun(sealedCamera, camera)).toBeNull();
  });

  it('seals a photo twice with different nonces, so equal photos give unrelated files', async () => {
    const photo = await samplePhoto();
    const a = await onDisk((await storePhotoFile({ dir: uploadsDir, ...photo })).storageName);
    const b = await onDisk((await storePhotoFile({ dir: uploadsDir, ...photo })).storageName);
    expect(a.subarray(4, 16)).not.toEqual(b.subarray(4, 16));
    expect(findSharedRun(a.subarray(16), b.subarray(16))).toBeNull();
  });

  it('leaves ciphertext, bound to the final name, in the temp file of a write cut short', async () => {
    const photo = await samplePhoto('png');
    let tempName = '';
    let finalName = '';
    let tempBytes = Buffer.alloc(0);
    // The crash comes between the temp file's fsync and the rename: what a crash would leave.
    vi.spyOn(fs, 'rename').mockImplementationOnce(async (from, to) => {
      tempName = path.basename(String(from));
      finalName = path.basename(String(to));
      tempBytes = await fs.readFile(from);
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });

    await expect(storePhotoFile({ dir: uploadsDir, ...photo })).rejects.toThrow('EIO');

    expect(tempName).toMatch(/^\.tmp-[a-f0-9]{32}\.part$/);
    expect(magicNumbersIn(tempBytes)).toEqual([]);
    expect(findSharedRun(tempBytes, photo.data)).toBeNull();
    const label = `uploads/${tempName}`;
    expect(openBytes({ key: getDerivedKey('photos'), sealed: tempBytes, associatedData: finalName, label })).toEqual(photo.data);
  });

  it('opens a file only with the key it was sealed with', async () => {
    const photo = await samplePhoto('webp');
    const keyA = crypto.randomBytes(32);
    const keyB = crypto.randomBytes(32);
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo, key: keyA });

    expect(await readPhotoFile({ dir: uploadsDir, storageName, key: keyA })).toEqual({ ok: true, data: photo.data, mimeType: 'image/webp' });
    for (const key of [keyB, undefined]) {
      expect(await readPhotoFile({ dir: uploadsDir, storageName, key })).toEqual({
        ok: false,
        reason: 'unreadable',
        file: `uploads/${storageName}`,
        message: `uploads/${storageName} failed its integrity check: it is damaged, was renamed, or was sealed with another key.`,
      });
    }
  });

  it('refuses a file moved under another valid storage name (the name is bound to the file)', async () => {
    const first = await storePhotoFile({ dir: uploadsDir, ...(await samplePhoto()) });
    const second = await storePhotoFile({ dir: uploadsDir, ...(await samplePhoto()) });
    const renamed = `${'f'.repeat(32)}.jpg`;
    await fs.copyFile(path.join(uploadsDir, first.storageName), path.join(uploadsDir, renamed));
    await fs.copyFile(path.join(uploadsDir, first.storageName), path.join(uploadsDir, second.storageName));

    expect(await readPhotoFile({ dir: uploadsDir, storageName: first.storageName })).toMatchObject({ ok: true });
    for (const storageName of [renamed, second.storageName]) {
      expect(await readPhotoFile({ dir: uploadsDir, storageName }), storageName).toMatchObject({
        ok: false,
        reason: 'unreadable',
        file: `uploads/${storageName}`,
      });
    }
  });

  it('refuses a file with one flipped byte anywhere, naming the file and never its content', async () => {
    const photo = await samplePhoto();
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo });
    const intact = await onDisk(storageName);
    // The header, the nonce, the first and last ciphertext bytes, and the tag.
    for (const position of [0, 4, 16, intact.length - 17, intact.length - 1]) {
      const damaged = Buffer.from(intact);
      damaged[position] = (damaged[position] ?? 0) ^ 0x01;
      await fs.writeFile(path.join(uploadsDir, storageName), damaged);

      const read = await readPhotoFile({ dir: uploadsDir, storageName });

      expect(read, `byte ${position}`).toMatchObject({ ok: false, reason: 'unreadable', file: `uploads/${storageName}` });
      expect(read).not.toHaveProperty('data');
      const message = !read.ok && read.reason === 'unreadable' ? read.message : '';
      expect(message.startsWith(`uploads/${storageName} `), message).toBe(true);
      expect(message).toMatch(/^[\x20-\x7e]+$/); // a sentence, no bytes of the file
    }
  });

  it('refuses a file cut short, an empty file, and a photo written in the clear', async () => {
    const photo = await samplePhoto();
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo });
    const intact = await onDisk(storageName);
    const cases: [string, Buffer][] = [
      ['cut short', intact.subarray(0, intact.length - 1)],
      ['header only', intact.subarray(0, 20)],
      ['empty', Buffer.alloc(0)],
      ['in the clear', photo.data],
    ];
    for (const [what, bytes] of cases) {
      await fs.writeFile(path.join(uploadsDir, storageName), bytes);
      expect(await readPhotoFile({ dir: uploadsDir, storageName }), what).toMatchObject({
        ok: false,
        reason: 'unreadable',
        file: `uploads/${storageName}`,
      });
    }
  });
});

describe('readPhotoFile and deletePhotoFile', () => {
  it('reads back exactly the stored bytes with the type of the name', async () => {
    const photo = await samplePhoto('webp');
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...photo });
    const read = await readPhotoFile({ dir: uploadsDir, storageName });
    expect(read).toEqual({ ok: true, data: photo.data, mimeType: 'image/webp' });
  });

  it('refuses names that could leave the uploads directory or were not made by the server', async () => {
    await fs.mkdir(uploadsDir, { recursive: true });
    // A file just outside the uploads directory that a traversal would reach.
    const hex = 'a'.repeat(32);
    await fs.writeFile(path.join(workDir, `${hex}.jpg`), 'secret outside uploads');
    const badNames = [
      `../${hex}.jpg`,
      `..%2f${hex}.jpg`,
      `sub/${hex}.jpg`,
      `${workDir}/${hex}.jpg`,
      '../../etc/passwd',
      `${hex.toUpperCase()}.jpg`,
      `${hex}.svg`,
      `${hex}.jpg\0.png`,
      `${hex}.jpg/`,
      `.tmp-${hex}.part`,
      'abc.jpg',
      '',
      '.',
      '..',
    ];
    for (const storageName of badNames) {
      expect(isValidStorageName(storageName), storageName).toBe(false);
      expect(await readPhotoFile({ dir: uploadsDir, storageName }), storageName).toEqual({
        ok: false,
        reason: 'invalid_name',
      });
      expect(await deletePhotoFile({ dir: uploadsDir, storageName }), storageName).toEqual({
        ok: false,
        reason: 'invalid_name',
      });
    }
    expect(await fs.readFile(path.join(workDir, `${hex}.jpg`), 'utf8')).toBe('secret outside uploads');
  });

  it('does not follow a symbolic link planted under a valid name', async () => {
    await fs.mkdir(uploadsDir, { recursive: true });
    await fs.writeFile(path.join(workDir, 'secret.txt'), 'secret');
    const storageName = `${'b'.repeat(32)}.png`;
    await fs.symlink(path.join(workDir, 'secret.txt'), path.join(uploadsDir, storageName));
    expect(await readPhotoFile({ dir: uploadsDir, storageName })).toEqual({ ok: false, reason: 'not_found' });
  });

  it('reports a missing file as not found, and deleting twice is harmless', async () => {
    const { storageName } = await storePhotoFile({ dir: uploadsDir, ...(await samplePhoto()) });
    expect(await deletePhotoFile({ dir: uploadsDir, storageName })).toEqual({ ok: true, deleted: true });
    expect(await deletePhotoFile({ dir: uploadsDir, storageName })).toEqual({ ok: true, deleted: false });
    expect(await readPhotoFile({ dir: uploadsDir, storageName })).toEqual({ ok: false, reason: 'not_found' });
  });

  it('derives the content type only from a valid name', () => {
    expect(mimeTypeOfStorageName(`${'c'.repeat(32)}.jpg`)).toBe('image/jpeg');
    expect(mimeTypeOfStorageName(`${'c'.repeat(32)}.png`)).toBe('image/png');
    expect(mimeTypeOfStorageName(`${'c'.repeat(32)}.webp`)).toBe('image/webp');
    expect(mimeTypeOfStorageName('photo.jpg')).toBeNull();
  });
});

describe('sweepOrphans', () => {
  it('deletes only old files that no row names, and old temp files', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const photo = await samplePhoto();
    const known = await storePhotoFile({ dir: uploadsDir, ...photo });
    const orphanOld = await storePhotoFile({ dir: uploadsDir, ...photo });
    const orphanNew = await storePhotoFile({ dir: uploadsDir, ...photo });
    const tempOld = `.tmp-${'d'.repeat(32)}.part`;
    const tempNew = `.tmp-${'e'.repeat(32)}.part`;
    await fs.writeFile(path.join(uploadsDir, tempOld), 'half a photo');
    await fs.writeFile(path.join(uploadsDir, tempNew), 'upload in flight');
    await fs.writeFile(path.join(uploadsDir, 'README.txt'), 'operator note');

    const setAge = (name: string, ageMs: number) => fs.utimes(path.join(uploadsDir, name), (now - ageMs) / 1000, (now - ageMs) / 1000);
    await setAge(known.storageName, 48 * HOUR);
    await setAge(orphanOld.storageName, 2 * HOUR);
    await setAge(orphanNew.storageName, 10 * 60 * 1000);
    await setAge(tempOld, 3 * HOUR);
    await setAge(tempNew, 60 * 1000);
    await setAge('README.txt', 48 * HOUR);

    const result = await sweepOrphans({
      dir: uploadsDir,
      knownNames: new Set([known.storageName]),
      olderThanMs: HOUR,
      now,
    });

    expect(result.deletedNames).toEqual([orphanOld.storageName, tempOld].sort());
    expect((await fs.readdir(uploadsDir)).sort()).toEqual(
      [known.storageName, orphanNew.storageName, tempNew, 'README.txt'].sort(),
    );
  });

  it('treats a missing uploads directory as empty', async () => {
    expect(await sweepOrphans({ dir: uploadsDir, knownNames: new Set(), olderThanMs: HOUR })).toEqual({
      deletedNames: [],
    });
  });
});

describe('getUploadsDir', () => {
  it('is the uploads folder inside DATA_DIR', () => {
    vi.stubEnv('DATA_DIR', workDir);
    expect(getUploadsDir()).toBe(path.join(workDir, 'uploads'));
  });
});
