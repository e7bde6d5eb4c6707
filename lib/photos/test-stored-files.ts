/**
 * Test-only: what tests need to look inside a stored photo file. On disk a photo is ciphertext
 * (storage.ts; docs/security/encryption-at-rest.md), so a test that checks what was stored — no
 * metadata, the right pixels — must open the envelope first, with the same key and associated data
 * the server uses, and not through `readPhotoFile` (whose own behaviour is under test elsewhere).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openBytes } from '@/lib/at-rest/envelope';
import { getDerivedKey } from '@/lib/at-rest/keys';

/**
 * The sanitised image inside a stored photo file, sealed with this process's photos key.
 * @param dir the uploads directory the file is in
 * @param storageName the file's name, e.g. `3f9c…e1.jpg` (also its associated data)
 * @returns the decrypted bytes
 * @throws EnvelopeError naming `uploads/<storageName>` when the file does not open; ENOENT when
 *   it is missing
 */
export function openStoredPhoto(dir: string, storageName: string): Buffer {
  return openBytes({
    key: getDerivedKey('photos'),
    sealed: fs.readFileSync(path.join(dir, storageName)),
    associatedData: storageName,
    label: `uploads/${storageName}`,
  });
}

/**
 * The first run of `runBytes` consecutive bytes of `source` that also stands anywhere in
 * `haystack`, as `{ offset }` in `source`, or null when they share no such run. A sealed file
 * shares no 8-byte run with its plaintext except by a chance of about n²/2⁶⁴.
 */
export function findSharedRun(haystack: Buffer, source: Buffer, runBytes = 8): { offset: number } | null {
  const windows = new Set<string>();
  for (let i = 0; i + runBytes <= haystack.length; i += 1) windows.add(haystack.toString('latin1', i, i + runBytes));
  for (let offset = 0; offset + runBytes <= source.length; offset += 1) {
    if (windows.has(source.toString('latin1', offset, offset + runBytes))) return { offset };
  }
  return null;
}
