/**
 * Sealed files: AES-256-GCM (NIST SP 800-38D) with a fresh 96-bit random nonce per file and the
 * file's identity bound as associated data, so a file moved under another name, cut short, or
 * altered by one bit fails to open instead of being served (docs/security/encryption-at-rest.md).
 *
 * Layout of a sealed file: `FRE1` (4 bytes, format and version) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
 * The associated data is `FRE1` ‖ the caller's `associatedData` (e.g. a photo's storage name).
 */
import crypto from 'node:crypto';

const MAGIC = Buffer.from('FRE1', 'ascii');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Bytes a sealed file adds to its content (header, nonce, tag). */
export const ENVELOPE_OVERHEAD_BYTES = MAGIC.length + NONCE_BYTES + TAG_BYTES;

/** A sealed file that does not open: damaged, cut short, renamed, or sealed with another key. */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/**
 * Encrypt `plaintext` for storage.
 * @param key 32 bytes (a derived key, lib/at-rest/keys.ts)
 * @param associatedData what the file must stay bound to (its name); not secret, not stored
 * @returns the sealed bytes (plaintext length + ENVELOPE_OVERHEAD_BYTES)
 */
export function sealBytes({ key, plaintext, associatedData }: { key: Buffer; plaintext: Uint8Array; associatedData: string }): Buffer {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([MAGIC, Buffer.from(associatedData, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]);
}

/**
 * Decrypt and authenticate sealed bytes.
 * @param label how to name the file in an error (e.g. `uploads/3f…e1.jpg`); never its content
 * @returns the plaintext
 * @throws EnvelopeError naming `label` when the header is wrong, the file is too short, or the tag
 *   does not verify (wrong key, wrong name, any changed byte)
 */
export function openBytes({ key, sealed, associatedData, label }: { key: Buffer; sealed: Uint8Array; associatedData: string; label: string }): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < ENVELOPE_OVERHEAD_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EnvelopeError(`${label} is not an encrypted Field Reports file (wrong header or cut short).`);
  }
  const nonce = bytes.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(MAGIC.length + NONCE_BYTES, bytes.length - TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([MAGIC, Buffer.from(associatedData, 'utf8')]));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new EnvelopeError(`${label} failed its integrity check: it is damaged, was renamed, or was sealed with another key.`);
  }
}

/** True when the bytes start with the sealed-file header (cheap; does not authenticate). */
export function looksSealed(bytes: Uint8Array): boolean {
  return bytes.length >= ENVELOPE_OVERHEAD_BYTES && Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).equals(MAGIC);
}
