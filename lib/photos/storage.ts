/**
 * Photo files on disk: DATA_DIR/uploads (outside public/), under names the server makes up, and
 * only ever as ciphertext (issue 15; docs/security/encryption-at-rest.md). Each file is the
 * sanitised image sealed by lib/at-rest/envelope.ts: AES-256-GCM under the photos key (HKDF from
 * the data key, lib/at-rest/keys.ts), a fresh random nonce per file, and the file's storage name
 * as associated data, so a file copied under another photo's name, cut short or changed by one bit
 * does not open. The clear image exists only in memory: it is sealed before the temp file is
 * opened, and opened again only by `readPhotoFile` for the serving route. Thumbnails are made in
 * memory from the opened bytes (thumbnail.ts) and never stored.
 *
 * Durable write order: temp file → fsync → rename → fsync directory, and only then does the caller
 * commit the `photos` row that names the file. A crash in between leaves an orphan file (never a
 * row without its file), itself ciphertext; `sweepOrphans` removes those later.
 */
import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { getDataDir } from '@/db/client';
import { EnvelopeError, openBytes, sealBytes } from '@/lib/at-rest/envelope';
import { getDerivedKey } from '@/lib/at-rest/keys';
import { PHOTO_EXTENSIONS, type PhotoMimeType } from './rules';
import type { SanitizedImageBytes } from './sanitize';

/** A stored name: 32 lowercase hex characters (128 random bits) and the type's extension. */
const STORAGE_NAME = /^[a-f0-9]{32}\.(jpg|png|webp)$/;
/** An unfinished write: `.tmp-` + 32 hex characters + `.part` (never a valid storage name). */
const TEMP_NAME = /^\.tmp-[a-f0-9]{32}\.part$/;

const MIME_BY_EXTENSION: Record<string, PhotoMimeType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

// `/*turbopackIgnore: true*/` below: the uploads directory is chosen at run time (DATA_DIR), so
// the bundler must not try to trace it (it would pull the whole project into the build output).

/** Directory of stored photos: `<DATA_DIR>/uploads` (DATA_DIR defaults to ./data; see db/client.ts). */
export function getUploadsDir(): string {
  return path.join(getDataDir(), 'uploads');
}

/**
 * True when `name` has the exact shape of a stored photo name (`<32 hex>.jpg|png|webp`), so it
 * cannot contain a path separator, `..`, or anything else a request could smuggle in.
 */
export function isValidStorageName(name: string): boolean {
  return STORAGE_NAME.test(name);
}

/** Content type of a stored name, from its extension; null for an invalid name. */
export function mimeTypeOfStorageName(name: string): PhotoMimeType | null {
  if (!isValidStorageName(name)) return null;
  return MIME_BY_EXTENSION[name.slice(name.lastIndexOf('.') + 1)] ?? null;
}

function randomHex(): string {
  return crypto.randomBytes(16).toString('hex');
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(/*turbopackIgnore: true*/ dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** How a stored file is named in errors and logs: `uploads/<storage name>` (never its content). */
function fileLabel(storageName: string): string {
  return `uploads/${storageName}`;
}

/**
 * Seal a sanitised photo and write it durably under a fresh server-made name.
 *
 * @param dir uploads directory (created with mode 0700 if missing); default `getUploadsDir()`.
 * @param data bytes returned by `sanitizeImage` (the branded type refuses raw uploads); sealed in
 *   memory, so neither the temp file nor the final file ever holds them in the clear.
 * @param mimeType the type `sanitizeImage` returned; decides the extension.
 * @param key 32-byte AES key; default `getDerivedKey('photos')`.
 * @returns `{ storageName }`, e.g. `3f9c…e1.jpg`: put it in the `photos` row and commit that row
 *   AFTER this resolves; if the commit fails, call `deletePhotoFile` (or leave it to `sweepOrphans`).
 *   The file is mode 0600 and `data.length` + ENVELOPE_OVERHEAD_BYTES (32; lib/at-rest/envelope.ts)
 *   bytes long.
 * @throws SealedError / KeyError (lib/at-rest/keys.ts) when there is no usable data key (nothing
 *   is written); I/O errors (disk full, permissions), after removing the temp file.
 */
export async function storePhotoFile({
  dir = getUploadsDir(),
  data,
  mimeType,
  key,
}: {
  dir?: string;
  data: SanitizedImageBytes;
  mimeType: PhotoMimeType;
  key?: Buffer;
}): Promise<{ storageName: string }> {
  const storageName = `${randomHex()}.${PHOTO_EXTENSIONS[mimeType]}`;
  // Sealed before any file is opened: the temp file a crash leaves behind is ciphertext too.
  const sealed = sealBytes({ key: key ?? getDerivedKey('photos'), plaintext: data, associatedData: storageName });
  await fs.mkdir(/*turbopackIgnore: true*/ dir, { recursive: true, mode: 0o700 });
  const tempPath = path.join(/*turbopackIgnore: true*/ dir, `.tmp-${randomHex()}.part`);
  const finalPath = path.join(/*turbopackIgnore: true*/ dir, storageName);

  try {
    // 'wx': fail rather than follow or overwrite anything already at that path.
    const handle = await fs.open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(sealed);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tempPath, finalPath);
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  // The rename is durable only once the directory entry is on disk.
  await fsyncDirectory(dir);
  return { storageName };
}

/** What `readPhotoFile` answers; see there. */
export type PhotoFileRead =
  | { ok: true; data: Buffer; mimeType: PhotoMimeType }
  | { ok: false; reason: 'invalid_name' | 'not_found' }
  | { ok: false; reason: 'unreadable'; file: string; message: string };

/**
 * Read, authenticate and decrypt a stored photo for the serving route (which must first check the
 * caller's right to it).
 *
 * @param storageName the name from the `photos` row; validated strictly, never joined blindly.
 * @param key 32-byte AES key; default `getDerivedKey('photos')`.
 * @returns one of:
 *   - `{ ok: true, data, mimeType }`: the sanitised image as stored (type from the name's
 *     extension; prefer the row's `mimeType`);
 *   - `{ ok: false, reason: 'invalid_name' | 'not_found' }` (symbolic links are not followed, so
 *     one planted under a valid name is `not_found`): answer 404;
 *   - `{ ok: false, reason: 'unreadable', file, message }`: the file exists but does not open —
 *     damaged, cut short, renamed from another photo, written in the clear, or sealed with another
 *     key. Never serve anything for it: answer 500 and log `message`, which names `file`
 *     (`uploads/<storageName>`) and the cause, never the content.
 * @throws SealedError / KeyError when there is no usable data key; other I/O errors.
 */
export async function readPhotoFile({
  dir = getUploadsDir(),
  storageName,
  key,
}: {
  dir?: string;
  storageName: string;
  key?: Buffer;
}): Promise<PhotoFileRead> {
  const mimeType = mimeTypeOfStorageName(storageName);
  if (!mimeType) return { ok: false, reason: 'invalid_name' };
  let sealed: Buffer;
  try {
    const handle = await fs.open(path.join(/*turbopackIgnore: true*/ dir, storageName), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    try {
      sealed = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ELOOP')) return { ok: false, reason: 'not_found' };
    throw error;
  }
  const file = fileLabel(storageName);
  try {
    return { ok: true, data: openBytes({ key: key ?? getDerivedKey('photos'), sealed, associatedData: storageName, label: file }), mimeType };
  } catch (error) {
    if (error instanceof EnvelopeError) return { ok: false, reason: 'unreadable', file, message: error.message };
    throw error;
  }
}

/**
 * Delete a stored photo (after its row was deleted, or when the row's commit failed).
 *
 * @returns `{ ok: true, deleted }` (`deleted` false when the file was already gone, so retries are
 *   harmless) or `{ ok: false, reason: 'invalid_name' }`. Other I/O errors throw.
 */
export async function deletePhotoFile({
  dir = getUploadsDir(),
  storageName,
}: {
  dir?: string;
  storageName: string;
}): Promise<{ ok: true; deleted: boolean } | { ok: false; reason: 'invalid_name' }> {
  if (!isValidStorageName(storageName)) return { ok: false, reason: 'invalid_name' };
  try {
    await fs.unlink(path.join(/*turbopackIgnore: true*/ dir, storageName));
    return { ok: true, deleted: true };
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return { ok: true, deleted: false };
    throw error;
  }
}

/**
 * Delete photo files no `photos` row names, and unfinished temp files, once they are old enough
 * that no upload can still be between `storePhotoFile` and its row's commit.
 *
 * @param knownNames every `photos.storage_name` in the database (read it in one query).
 * @param olderThanMs minimum age in milliseconds (by file mtime) before a file may go; use at
 *   least an hour so an upload in flight is never swept.
 * @param now current time, UTC ms since the epoch (default `Date.now()`).
 * @returns `{ deletedNames }`, sorted. Files whose names match neither a storage name nor a temp
 *   name (e.g. an operator's notes) are left alone. A missing directory counts as empty.
 */
export async function sweepOrphans({
  dir = getUploadsDir(),
  knownNames,
  olderThanMs,
  now = Date.now(),
}: {
  dir?: string;
  knownNames: ReadonlySet<string>;
  olderThanMs: number;
  now?: number;
}): Promise<{ deletedNames: string[] }> {
  let entries: string[];
  try {
    entries = await fs.readdir(/*turbopackIgnore: true*/ dir);
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return { deletedNames: [] };
    throw error;
  }
  const deletedNames: string[] = [];
  for (const name of entries) {
    const isOrphan = isValidStorageName(name) && !knownNames.has(name);
    if (!isOrphan && !TEMP_NAME.test(name)) continue;
    const filePath = path.join(/*turbopackIgnore: true*/ dir, name);
    try {
      const stat = await fs.lstat(filePath);
      if (!stat.isFile() || now - stat.mtimeMs < olderThanMs) continue;
      await fs.unlink(filePath);
      deletedNames.push(name);
    } catch (error) {
      // Deleted meanwhile (a concurrent sweep or deletePhotoFile): nothing left to do.
      if (!isErrnoCode(error, 'ENOENT')) throw error;
    }
  }
  return { deletedNames: deletedNames.sort() };
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
