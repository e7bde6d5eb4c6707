/**
 * Integration tests of the photo pipeline: each test builds a hostile image in memory, runs it
 * through sanitizeImage → storePhotoFile, reads the stored file back from disk, decrypts it (it is
 * ciphertext at rest; storage.test.ts proves that) and proves that no trace of the camera is left
 * in the image inside (with the exifr parser, with sharp, and by scanning the bytes).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import exifr from 'exifr';
import sharp from 'sharp';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sanitizeImage } from './sanitize';
import { makeThumbnail } from './thumbnail';
import { storePhotoFile } from './storage';
import { openStoredPhoto } from './test-stored-files';
import { MAX_PHOTO_BYTES, MAX_PHOTO_SIDE, PHOTO_REFUSAL_MESSAGE_KEYS } from './rules';
import {
  SECRET_NAME,
  SECRET_SERIAL,
  SECRET_TOOL,
  SECRET_TEXT,
  TRAILER,
  GPS_EXIF,
  XMP,
  FORBIDDEN_BYTES,
  EXIFR_ALL,
  pngChunk,
  insertPngChunks,
  twoColourImage,
  noisyImage,
  pngBombHeader,
  cameraJpeg,
  insertJpegSegment,
  jfifApp0,
  pngPhysChunk,
  pngWithEveryAncillaryChunk,
} from './test-images';

let uploadsDir: string;
beforeEach(async () => {
  uploadsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photos-sanitize-'));
});
afterEach(async () => {
  await fs.rm(uploadsDir, { recursive: true, force: true });
});

// --- checking stored files -------------------------------------------------------------------

async function sanitizeAndStore(input: Buffer) {
  const result = await sanitizeImage(input);
  if (!result.ok) throw new Error(`expected the photo to be accepted, got ${result.reason}`);
  const { storageName } = await storePhotoFile({ dir: uploadsDir, data: result.data, mimeType: result.mimeType });
  const stored = openStoredPhoto(uploadsDir, storageName);
  return { result, storageName, stored };
}

/** Chunk types of a PNG, in order. */
function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset + 8 <= png.length; offset += 12 + png.readUInt32BE(offset)) {
    types.push(png.toString('latin1', offset + 4, offset + 8));
  }
  return types;
}

/** RIFF chunks of a WebP, in order, with their payloads. */
function webpChunks(webp: Buffer): { type: string; data: Buffer }[] {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let offset = 12; offset + 8 <= webp.length; ) {
    const size = webp.readUInt32LE(offset + 4);
    chunks.push({ type: webp.toString('latin1', offset, offset + 4), data: webp.subarray(offset + 8, offset + 8 + size) });
    offset += 8 + size + (size % 2);
  }
  return chunks;
}

/** JPEG markers (as hex, e.g. 'e1') from SOI up to and including the first SOS. */
function jpegMarkersBeforeScan(jpeg: Buffer): string[] {
  const markers: string[] = [];
  for (let offset = 2; offset + 4 <= jpeg.length && jpeg[offset] === 0xff; offset += 2 + jpeg.readUInt16BE(offset + 2)) {
    const marker = jpeg[offset + 1] ?? 0;
    markers.push(marker.toString(16));
    if (marker === 0xda) break;
  }
  return markers;
}

// Everything a re-encoded file may contain: pixels and the structure needed to decode them.
// No JFIF (APP0, which carries a pixel density) and no pHYs since issue 16 item 13.
const ALLOWED_JPEG_MARKERS = new Set(['db', 'c0', 'c1', 'c2', 'c4', 'dd', 'da']); // DQT, SOFn, DHT, DRI, SOS
const ALLOWED_PNG_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
const ALLOWED_WEBP_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH']);

async function expectNoMetadata(stored: Buffer, format: 'jpeg' | 'png' | 'webp') {
  // exifr 7 reads JPEG and PNG (not WebP); for WebP the chunk list below is the parser-level proof.
  if (format !== 'webp') {
    const parsed: unknown = await exifr.parse(stored, EXIFR_ALL);
    const isEmpty = parsed === undefined || (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0);
    expect(isEmpty, JSON.stringify(parsed)).toBe(true);
  }

  const metadata = await sharp(stored).metadata();
  expect(metadata.format).toBe(format);
  expect(metadata.exif).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  expect(metadata.iptc).toBeUndefined();
  expect(metadata.orientation).toBeUndefined();
  expect(metadata.comments ?? []).toEqual([]);

  if (format === 'jpeg') {
    expect(jpegMarkersBeforeScan(stored).filter((m) => !ALLOWED_JPEG_MARKERS.has(m))).toEqual([]);
    expect(stored.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  } else if (format === 'png') {
    expect(pngChunkTypes(stored).filter((t) => !ALLOWED_PNG_CHUNKS.has(t))).toEqual([]);
    expect(pngChunkTypes(stored).at(-1)).toBe('IEND');
  } else {
    expect(webpChunks(stored).map((c) => c.type).filter((t) => !ALLOWED_WEBP_CHUNKS.has(t))).toEqual([]);
    expect(stored.readUInt32LE(4) + 8).toBe(stored.length); // RIFF size covers the file: nothing appended
  }

  const found = FORBIDDEN_BYTES.filter((needle) => stored.includes(Buffer.from(needle, 'latin1')));
  expect(found).toEqual([]);
}

/** Positive control: the input really carries what we claim to remove (so the test can fail). */
function expectBytesPresent(input: Buffer, needles: string[]) {
  for (const needle of needles) expect(input.includes(Buffer.from(needle, 'latin1')), needle).toBe(true);
}

async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: data[offset] ?? -1, g: data[offset + 1] ?? -1, b: data[offset + 2] ?? -1 };
}

// --- accepted photos -------------------------------------------------------------------------

describe('sanitizeImage + storePhotoFile: accepted photos lose every trace of the camera', () => {
  it('strips GPS EXIF, serials, XMP, IPTC and the ICC profile from a JPEG, and applies orientation 6', async () => {
    const input = await cameraJpeg();

    const before = await exifr.parse(input, EXIFR_ALL);
    expect(before.latitude).toBeCloseTo(39.019, 2);
    expect(before.Artist).toBe(SECRET_NAME);
    expect(before.CreatorTool).toBe(SECRET_TOOL);
    expect(before.ProfileFileSignature).toBe('acsp');
    expect(before.Byline).toBe(SECRET_NAME); // IPTC 2:80
    expect((await sharp(input).metadata()).iptc).toBeDefined();
    expectBytesPresent(input, ['Exif', 'http://ns.adobe.com/xap', 'acsp', 'Photoshop 3.0', SECRET_SERIAL]);

    const { result, storageName, stored } = await sanitizeAndStore(input);

    expect(result.mimeType).toBe('image/jpeg');
    expect(storageName).toMatch(/^[a-f0-9]{32}\.jpg$/);
    // Stored 60 × 40 with "rotate 90° clockwise to display": the photo is kept upright, 40 × 60.
    expect({ width: result.width, height: result.height }).toEqual({ width: 40, height: 60 });
    const metadata = await sharp(stored).metadata();
    expect({ width: metadata.width, height: metadata.height }).toEqual({ width: 40, height: 60 });
    // The red left half of the sensor image is now the top half.
    const top = await pixelAt(stored, 20, 10);
    const bottom = await pixelAt(stored, 20, 50);
    expect(top.r).toBeGreaterThan(200);
    expect(top.b).toBeLessThan(60);
    expect(bottom.b).toBeGreaterThan(200);
    expect(bottom.r).toBeLessThan(60);

    await expectNoMetadata(stored, 'jpeg');
  });

  it('strips tEXt, zTXt (XMP), eXIf (GPS) and iCCP chunks from a PNG', async () => {
    const base = await twoColourImage().png().withExif(GPS_EXIF).withIccProfile('p3').withXmp(XMP).toBuffer();
    const keyword = (key: string, text: string) => Buffer.from(`${key}\0${text}`, 'latin1');
    const input = insertPngChunks(base, [
      pngChunk('tEXt', keyword('Author', SECRET_NAME)),
      pngChunk('tEXt', keyword('Comment', SECRET_TEXT)),
    ]);

    // The hand-made chunks are well formed: sharp itself reads them as PNG comments.
    const inputMetadata = await sharp(input).metadata();
    expect(inputMetadata.comments).toEqual(
      expect.arrayContaining([
        { keyword: 'Author', text: SECRET_NAME },
        { keyword: 'Comment', text: SECRET_TEXT },
      ]),
    );
    expect(inputMetadata.exif).toBeDefined();
    expect(inputMetadata.icc).toBeDefined();
    expect(inputMetadata.xmp).toBeDefined();
    expect(pngChunkTypes(input)).toEqual(expect.arrayContaining(['tEXt', 'eXIf', 'iCCP', 'zTXt']));
    const before = await exifr.parse(input, EXIFR_ALL);
    expect(before.latitude).toBeCloseTo(39.019, 2);
    expectBytesPresent(input, [SECRET_NAME, SECRET_TEXT, SECRET_SERIAL]);

    const { result, stored } = await sanitizeAndStore(input);

    expect(result.mimeType).toBe('image/png');
    expect({ width: result.width, height: result.height }).toEqual({ width: 60, height: 40 });
    await expectNoMetadata(stored, 'png');
  });

  it('keeps only IHDR, IDAT and IEND of a PNG carrying pHYs, tEXt, iTXt, zTXt, tIME, eXIf and iCCP, in the stored file and its thumbnail', async () => {
    const input = await pngWithEveryAncillaryChunk();
    expect(pngChunkTypes(input)).toEqual(expect.arrayContaining(['pHYs', 'tEXt', 'iTXt', 'zTXt', 'tIME', 'eXIf', 'iCCP']));

    const { result, stored } = await sanitizeAndStore(input);

    expect(result.mimeType).toBe('image/png');
    expect(new Set(pngChunkTypes(stored))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
    await expectNoMetadata(stored, 'png');
    const thumbnail = await makeThumbnail({ data: stored, mimeType: 'image/png' });
    expect(new Set(pngChunkTypes(thumbnail))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
  });

  it("does not keep a PNG's 300 dpi pixel density (sharp copies it into the pHYs chunk it always writes)", async () => {
    const plain = await noisyImage(30, 20).png().toBuffer();
    const withoutPhys = Buffer.concat([plain.subarray(0, 33), plain.subarray(33 + 21)]); // sharp's pHYs follows IHDR
    expect(pngChunkTypes(withoutPhys)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const input = insertPngChunks(withoutPhys, [pngPhysChunk(300)]);
    // Positive control: sharp reads the density and, left alone, writes it back out.
    expect((await sharp(input).metadata()).density).toBe(300);
    const reencoded = await sharp(input).png().toBuffer();
    expect(pngChunkTypes(reencoded)).toContain('pHYs');
    expect(reencoded.includes(Buffer.from([0, 0, 0x2e, 0x23, 0, 0, 0x2e, 0x23, 1]))).toBe(true); // 11,811 px/m

    const { stored } = await sanitizeAndStore(input);

    expect(pngChunkTypes(stored)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(stored.includes(Buffer.from([0, 0, 0x2e, 0x23]))).toBe(false);
  });

  it('stores and thumbnails a JPEG with no APP segment: no JFIF density, EXIF, XMP, ICC or comment', async () => {
    const input = insertJpegSegment(insertJpegSegment(await cameraJpeg(), 0xfe, Buffer.from(SECRET_TEXT, 'latin1')), 0xe0, jfifApp0(300));
    expect(jpegMarkersBeforeScan(input)).toEqual(expect.arrayContaining(['e0', 'e1', 'e2', 'ed', 'fe']));

    const { stored } = await sanitizeAndStore(input);

    const markers = jpegMarkersBeforeScan(stored);
    expect(markers.filter((m) => /^e[0-9a-f]$/.test(m) || m === 'fe')).toEqual([]);
    await expectNoMetadata(stored, 'jpeg');
    const thumbnail = await makeThumbnail({ data: stored, mimeType: 'image/jpeg' });
    expect(jpegMarkersBeforeScan(thumbnail).filter((m) => /^e[0-9a-f]$/.test(m) || m === 'fe')).toEqual([]);
  });

  it('drops bytes appended after the JPEG end marker', async () => {
    const jpeg = await noisyImage(120, 80).jpeg().toBuffer();
    expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    // A ZIP local file header after FFD9: the classic JPEG/ZIP polyglot.
    const input = Buffer.concat([jpeg, Buffer.from('PK\x03\x04', 'latin1'), Buffer.from(TRAILER.repeat(20), 'latin1')]);

    const { result, stored } = await sanitizeAndStore(input);

    expect(result.mimeType).toBe('image/jpeg');
    expect(stored.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(stored.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    await expectNoMetadata(stored, 'jpeg');
  });

  it('strips EXIF, XMP and ICC chunks from a WebP', async () => {
    const input = await twoColourImage().webp().withExif(GPS_EXIF).withIccProfile('p3').withXmp(XMP).toBuffer();
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.xmp).toBeDefined();
    const chunks = webpChunks(input);
    expect(chunks.map((c) => c.type)).toEqual(expect.arrayContaining(['EXIF', 'XMP ', 'ICCP']));
    // exifr cannot open a WebP container, but it reads the EXIF chunk's TIFF payload ('Exif\0\0' + TIFF).
    const exifChunk = chunks.find((c) => c.type === 'EXIF')?.data ?? Buffer.alloc(0);
    const tiff = exifChunk.subarray(exifChunk.indexOf('II*\0', 0, 'latin1'));
    expect((await exifr.parse(tiff, EXIFR_ALL)).latitude).toBeCloseTo(39.019, 2);
    expectBytesPresent(input, [SECRET_SERIAL, SECRET_TOOL]);

    const { result, storageName, stored } = await sanitizeAndStore(input);

    expect(result.mimeType).toBe('image/webp');
    expect(storageName).toMatch(/^[a-f0-9]{32}\.webp$/);
    await expectNoMetadata(stored, 'webp');
  });

  it('scales a very large photo down to the longest-side cap, keeping its proportions and format', async () => {
    const input = await sharp({ create: { width: 5000, height: 3000, channels: 3, background: '#8a6' } })
      .png()
      .toBuffer();
    expect(input.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);

    const { result, storageName, stored } = await sanitizeAndStore(input);

    expect(storageName).toMatch(/\.png$/);
    expect(result.width).toBe(MAX_PHOTO_SIDE);
    expect(result.height).toBe(Math.round((3000 / 5000) * MAX_PHOTO_SIDE));
    const metadata = await sharp(stored).metadata();
    expect([metadata.width, metadata.height]).toEqual([result.width, result.height]);
  });

  it('accepts a Uint8Array view as well as a Buffer', async () => {
    const jpeg = await noisyImage(30, 20).jpeg().toBuffer();
    const view = new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
    const result = await sanitizeImage(view);
    expect(result.ok && [result.mimeType, result.width, result.height]).toEqual(['image/jpeg', 30, 20]);
  });
});

// --- refused uploads -------------------------------------------------------------------------

describe('sanitizeImage: refusals name their reason and store nothing', () => {
  async function expectRefused(input: Buffer, reason: string, messageKey: string) {
    const result = await sanitizeImage(input);
    expect(result).toMatchObject({ ok: false, reason, messageKey });
    expect(await fs.readdir(uploadsDir)).toEqual([]);
  }

  it('refuses an SVG renamed .jpg (SVG bytes whatever the name)', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    await expectRefused(svg, 'svg', 'photos.errors.svg');
    // With a byte-order mark and leading blank lines too.
    await expectRefused(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n\n<svg/>')]), 'svg', 'photos.errors.svg');
  });

  it('refuses a 50,000 × 50,000 PNG from its header, quickly, without decoding it', async () => {
    const bomb = pngBombHeader(50_000, 50_000);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    await expectRefused(bomb, 'too_many_pixels', 'photos.errors.tooManyPixels');
    // Generous guard only (it takes a few ms): decoding 2.5 gigapixels would take minutes and ~7.5 GB.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a JPEG whose header claims 60,000 × 60,000 pixels', async () => {
    const jpeg = await noisyImage(16, 16).jpeg().toBuffer();
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sof).toBeGreaterThan(0);
    const bomb = Buffer.from(jpeg);
    bomb.writeUInt16BE(60_000, sof + 5); // height
    bomb.writeUInt16BE(60_000, sof + 7); // width
    await expectRefused(bomb, 'too_many_pixels', 'photos.errors.tooManyPixels');
  });

  it('refuses an empty file', async () => {
    await expectRefused(Buffer.alloc(0), 'empty', 'photos.errors.empty');
  });

  it('refuses a file over 10 MB before looking inside, and accepts the limit itself', async () => {
    const jpeg = await noisyImage(16, 16).jpeg().toBuffer();
    const tooBig = Buffer.concat([jpeg, Buffer.alloc(MAX_PHOTO_BYTES + 1 - jpeg.length)]);
    await expectRefused(tooBig, 'too_large', 'photos.errors.tooLarge');
    const atLimit = await sanitizeImage(tooBig.subarray(0, MAX_PHOTO_BYTES));
    expect(atLimit.ok).toBe(true);
  });

  it('refuses a truncated JPEG and a truncated PNG as corrupt', async () => {
    const jpeg = await noisyImage(200, 150).jpeg().toBuffer();
    await expectRefused(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'corrupt', 'photos.errors.corrupt');
    const png = await noisyImage(200, 150).png().toBuffer();
    await expectRefused(png.subarray(0, Math.floor(png.length / 2)), 'corrupt', 'photos.errors.corrupt');
  });

  it('refuses HEIC with the "convert to JPEG" reason', async () => {
    // ftyp box: size 24, major brand heic, minor version 0, compatible brands mif1 heic; then a meta box start.
    const ftyp = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic', 'latin1'),
      Buffer.alloc(4),
      Buffer.from('mif1heic', 'latin1'),
      Buffer.from([0, 0, 0, 8]),
      Buffer.from('meta', 'latin1'),
    ]);
    await expectRefused(ftyp, 'heic', 'photos.errors.heic');
  });

  it('refuses GIF, AVIF, PDF and arbitrary bytes as unsupported types', async () => {
    const gif = await noisyImage(8, 8).gif().toBuffer();
    await expectRefused(gif, 'unsupported_type', 'photos.errors.unsupportedType');
    const avif = await noisyImage(8, 8).avif().toBuffer();
    await expectRefused(avif, 'unsupported_type', 'photos.errors.unsupportedType');
    await expectRefused(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), 'unsupported_type', 'photos.errors.unsupportedType');
    await expectRefused(Buffer.from('hello, this is plain text'), 'unsupported_type', 'photos.errors.unsupportedType');
  });

  it('refuses a file whose JPEG magic bytes hide something that does not decode', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<svg/> not really a JPEG')]);
    await expectRefused(fake, 'corrupt', 'photos.errors.corrupt');
  });
});

describe('photo messages', () => {
  it('has an English and a Korean text for every refusal reason', async () => {
    for (const locale of ['en', 'ko']) {
      const file = path.join(__dirname, '..', 'i18n', 'messages', locale, 'photos.json');
      const messages: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      for (const key of Object.values(PHOTO_REFUSAL_MESSAGE_KEYS)) {
        const [, ...rest] = key.split('.');
        let node: unknown = messages;
        for (const segment of rest) node = (node as Record<string, unknown> | undefined)?.[segment];
        expect(typeof node === 'string' && node.length > 0, `${locale}: ${key}`).toBe(true);
      }
    }
    const en = JSON.parse(await fs.readFile(path.join(__dirname, '..', 'i18n', 'messages', 'en', 'photos.json'), 'utf8'));
    expect(en.errors.heic).toContain('convert to JPEG');
  });
});
