/**
 * Photo file storage on a real temp directory: server-made names, durable write order
 * (fsync file → rename → fsync directory), strict name validation, and the orphan sweep.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
    expect(await fs.readFile(path.join(uploadsDir, a.storageName))).toEqual(jpeg.data);
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
