/**
 * Upload sanitiser: turns an untrusted upload into a freshly encoded JPEG, PNG or WebP that
 * carries pixels only. Everything happens in memory; the uploaded bytes never touch the disk.
 *
 * Order (docs/security/README.md "Uploads", issue 7): size cap → magic bytes → header dimensions (no decode)
 * → pixel cap → decode, apply EXIF orientation, scale down, re-encode without any metadata.
 */
import 'server-only';
import sharp from 'sharp';
import {
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  MAX_PHOTO_SIDE,
  PHOTO_MESSAGE_VALUES,
  PHOTO_REFUSAL_MESSAGE_KEYS,
  type PhotoMimeType,
  type PhotoRefusalMessageKey,
  type PhotoRefusalReason,
} from './rules';
import { stripImageMetadata } from './strip-metadata';

declare const sanitizedBrand: unique symbol;
/**
 * Bytes produced by `sanitizeImage` (and only by it). `storePhotoFile` accepts nothing else, so
 * the type checker refuses any path that would write an upload's original bytes to disk.
 */
export type SanitizedImageBytes = Buffer & { readonly [sanitizedBrand]: true };

export type SanitizeImageResult =
  | { ok: true; data: SanitizedImageBytes; mimeType: PhotoMimeType; width: number; height: number }
  | {
      ok: false;
      reason: PhotoRefusalReason;
      messageKey: PhotoRefusalMessageKey;
      messageValues: typeof PHOTO_MESSAGE_VALUES;
    };

/** A decode that takes longer than this is abandoned (a 40 MP JPEG takes about a second). */
const DECODE_TIMEOUT_SECONDS = 20;

/** Sniffed container of the upload: a type we accept, or why we refuse it. */
type Sniffed = { kind: 'accepted'; mimeType: PhotoMimeType } | { kind: 'refused'; reason: PhotoRefusalReason };

const SHARP_FORMAT: Record<PhotoMimeType, 'jpeg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// ISO-BMFF brands of HEIF stills and sequences from phones (ISO/IEC 23008-12 Annex B).
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function refuse(reason: PhotoRefusalReason): Extract<SanitizeImageResult, { ok: false }> {
  return { ok: false, reason, messageKey: PHOTO_REFUSAL_MESSAGE_KEYS[reason], messageValues: PHOTO_MESSAGE_VALUES };
}

/** Brands of an ISO-BMFF `ftyp` box at the start of the file (HEIC, AVIF, MP4…), or null. */
function readFtypBrands(bytes: Buffer): string[] | null {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return null;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [bytes.toString('latin1', 8, 12)];
  // Skip minor_version (4 bytes), then read compatible brands.
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(bytes.toString('latin1', offset, offset + 4));
  return brands;
}

/** True when the file opens like XML/SVG text (an SVG renamed .jpg is still an SVG). */
function looksLikeSvg(bytes: Buffer): boolean {
  let head = bytes.toString('utf8', 0, Math.min(bytes.length, 4096));
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  head = head.trimStart().toLowerCase();
  return head.startsWith('<') && head.includes('<svg');
}

/** Identify the upload by its first bytes only; the file name and the browser's type are ignored. */
function sniffType(bytes: Buffer): Sniffed {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { kind: 'accepted', mimeType: 'image/jpeg' };
  }
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { kind: 'accepted', mimeType: 'image/png' };
  }
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return { kind: 'accepted', mimeType: 'image/webp' };
  }
  const brands = readFtypBrands(bytes);
  if (brands) {
    const isAvif = brands.some((b) => AVIF_BRANDS.has(b));
    const isHeif = brands.some((b) => HEIF_BRANDS.has(b));
    return { kind: 'refused', reason: isHeif && !isAvif ? 'heic' : 'unsupported_type' };
  }
  if (looksLikeSvg(bytes)) return { kind: 'refused', reason: 'svg' };
  // GIF, PDF, TIFF, BMP, archives, executables, text…: not a photo type we store.
  return { kind: 'refused', reason: 'unsupported_type' };
}

function isPixelLimitError(error: unknown): boolean {
  return error instanceof Error && /pixel limit/i.test(error.message);
}

/**
 * Check an uploaded photo and re-encode it so that only its pixels remain.
 *
 * @param bytes the upload exactly as received, held in memory (never write it to disk first).
 * @returns `{ ok: true, data, mimeType, width, height }`: `data` is a new JPEG (quality 85), PNG
 *   or WebP (quality 85) in the upload's own format, EXIF orientation applied (so `width`/`height`
 *   are as displayed, in pixels), longest side at most MAX_PHOTO_SIDE, and no EXIF (GPS, serials,
 *   maker notes, thumbnails), XMP, IPTC, ICC profile, JFIF or pHYs pixel density, PNG text or
 *   time chunks, or bytes after the image end: a PNG holds only IHDR, PLTE, tRNS, IDAT and IEND,
 *   a JPEG no APPn or COM segment, a WebP only VP8/VP8L/VP8X/ALPH (strip-metadata.ts).
 *   Otherwise `{ ok: false, reason, messageKey, messageValues }` with reason
 *   - 'empty': zero bytes;
 *   - 'too_large': more than MAX_PHOTO_BYTES (10 MiB);
 *   - 'heic' (HEIC/HEIF: "convert to JPEG"), 'svg', 'unsupported_type' (GIF, PDF, anything else):
 *     decided by magic bytes, whatever the file name or declared type;
 *   - 'too_many_pixels': header dimensions over MAX_PHOTO_PIXELS (refused before any decode,
 *     in milliseconds);
 *   - 'corrupt': truncated, damaged, or not decodable within DECODE_TIMEOUT_SECONDS.
 *   Never throws for bad input. Rules: docs/security/README.md "Uploads", docs/product.md "photos".
 */
export async function sanitizeImage(bytes: Buffer | Uint8Array): Promise<SanitizeImageResult> {
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length === 0) return refuse('empty');
  if (input.length > MAX_PHOTO_BYTES) return refuse('too_large');

  const sniffed = sniffType(input);
  if (sniffed.kind === 'refused') return refuse(sniffed.reason);
  const { mimeType } = sniffed;

  // limitInputPixels makes sharp refuse from the header alone, both here and at decode time.
  // failOn 'warning' (sharp's advice for untrusted input) turns truncated data into an error.
  // pages: 1 keeps only the first frame of an animated WebP/PNG.
  const options = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning', pages: 1 } as const;

  let width: number;
  let height: number;
  try {
    const metadata = await sharp(input, options).metadata();
    if (metadata.format !== SHARP_FORMAT[mimeType]) return refuse('corrupt');
    width = metadata.width;
    height = metadata.height;
  } catch (error) {
    return refuse(isPixelLimitError(error) ? 'too_many_pixels' : 'corrupt');
  }
  if (!(width > 0 && height > 0)) return refuse('corrupt');
  if (width * height > MAX_PHOTO_PIXELS) return refuse('too_many_pixels');

  // No withMetadata / keepMetadata / keepExif / keepIccProfile / keepXmp: sharp then writes no
  // EXIF, XMP, IPTC or ICC profile, and converts colours to sRGB. Re-encoding drops PNG text
  // chunks and anything after the image's end marker, because only decoded pixels are written.
  // It still writes a PNG pHYs chunk carrying the upload's pixel density (libvips has no option
  // to leave it out), so the encoded file goes through stripImageMetadata (strip-metadata.ts),
  // which keeps only the chunks and segments that make the pixels (issue 16 item 13).
  let pipeline = sharp(input, options)
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .rotate()
    .resize({ width: MAX_PHOTO_SIDE, height: MAX_PHOTO_SIDE, fit: 'inside', withoutEnlargement: true });
  if (mimeType === 'image/jpeg') pipeline = pipeline.jpeg({ quality: 85 });
  else if (mimeType === 'image/png') pipeline = pipeline.png({ compressionLevel: 9 });
  else pipeline = pipeline.webp({ quality: 85 });

  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const pixelsOnly = stripImageMetadata(data, mimeType);
    return { ok: true, data: pixelsOnly as SanitizedImageBytes, mimeType, width: info.width, height: info.height };
  } catch (error) {
    return refuse(isPixelLimitError(error) ? 'too_many_pixels' : 'corrupt');
  }
}
