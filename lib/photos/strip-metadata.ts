/**
 * Container-level filters for the images sharp writes: whatever the encoder adds besides pixels is
 * removed before a photo is stored or served (issue 16 item 13; docs/security/README.md "Uploads";
 * lib/photos/README.md "What a stored file holds").
 *
 * Why a filter and not only sharp options: libvips writes a PNG `pHYs` chunk on every PNG save, with
 * no option to leave it out, and it copies the upload's pixel density into it (an upload at 300 dpi
 * is stored with 11,811 px/m) — a trace of the camera, scanner or editing tool. Its JPEG and WebP
 * savers write no metadata unless asked (checked by the tests), but the same filter runs on them,
 * so a future sharp that starts writing, say, a JFIF density segment is caught here too.
 *
 * Each function walks the container, checks its framing (and, for PNG, every chunk's CRC), copies
 * the kept parts byte for byte and throws a `MalformedImageError` on anything it cannot account for.
 * Pure and synchronous; no server-only import, so unit tests run it directly.
 */
import zlib from 'node:zlib';

/** The image bytes do not have the structure their format requires (never expected from sharp). */
export class MalformedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedImageError';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * PNG chunks a stored photo keeps (PNG 3rd edition, W3C 2025): the four critical chunks, and `tRNS`,
 * the one ancillary chunk that is part of the pixels (the transparent colour of a palette, grey or
 * RGB image; dropping it would make transparent pixels opaque). Everything else goes: `pHYs` (pixel
 * density), `tIME`, text (`tEXt`, `zTXt`, `iTXt`), `eXIf`, colour chunks (`iCCP`, `sRGB`, `gAMA`,
 * `cHRM`, `cICP`, `mDCV`, `cLLI`: sharp has already converted the pixels to sRGB, which is what a
 * viewer assumes when none is present), `bKGD`, `sBIT`, `hIST`, `sPLT`, and APNG frames.
 */
export const PNG_KEPT_CHUNKS: readonly string[] = ['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND'];

/** One PNG chunk as found in the file. `end` is the offset just past its CRC. */
export type PngChunk = { type: string; start: number; end: number; dataLength: number };

/** CRC-32 as PNG defines it (ISO 3309 / ITU-T V.42, the same as zlib's). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// zlib.crc32 (Node ≥ 20.15, same polynomial) is about 5 times faster than the table loop (1.8 ms
// against 10 ms for a 1.3 MB PNG); the loop serves older Node versions package.json still allows.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of `bytes` (PNG chunk CRCs cover the chunk type and data). */
export function pngCrc32(bytes: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(bytes) >>> 0 : tableCrc32(bytes);
}

/** CRC-32 by table (the fallback of `pngCrc32`; exported for its test). */
export function tableCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The chunks of a PNG, in file order, with their framing and CRCs checked: a signature, IHDR first,
 * IEND last and nothing after it. Throws MalformedImageError otherwise.
 */
export function listPngChunks(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new MalformedImageError('not a PNG signature');
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new MalformedImageError('PNG chunk header cut short');
    const dataLength = png.readUInt32BE(offset);
    const end = offset + 12 + dataLength;
    if (dataLength > 0x7fffffff || end > png.length) throw new MalformedImageError('PNG chunk runs past the end');
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedImageError('PNG chunk type is not four letters');
    if (pngCrc32(png.subarray(offset + 4, end - 4)) !== png.readUInt32BE(end - 4)) throw new MalformedImageError(`PNG ${type} chunk CRC mismatch`);
    chunks.push({ type, start: offset, end, dataLength });
    offset = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new MalformedImageError('PNG does not start with IHDR');
  if (chunks.at(-1)?.type !== 'IEND' || offset !== png.length) throw new MalformedImageError('PNG does not end with IEND');
  return chunks;
}

/**
 * A PNG with only PNG_KEPT_CHUNKS, each copied byte for byte (length, type, data, CRC), in the same
 * order. Throws MalformedImageError on a framing or CRC error, or on a critical chunk this filter
 * does not know (an upper-case first letter: dropping one would corrupt the image).
 */
export function stripPngMetadata(png: Buffer): Buffer {
  const kept: Buffer[] = [PNG_SIGNATURE];
  for (const chunk of listPngChunks(png)) {
    if (PNG_KEPT_CHUNKS.includes(chunk.type)) kept.push(png.subarray(chunk.start, chunk.end));
    else if (chunk.type[0]! === chunk.type[0]!.toUpperCase()) throw new MalformedImageError(`unknown critical PNG chunk ${chunk.type}`);
  }
  return Buffer.concat(kept);
}

/** One JPEG marker as found in the file: `marker` is the byte after 0xFF (0xD8 SOI, 0xE0 APP0…). */
export type JpegSegment = { marker: number; start: number; end: number };

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const isApp = (marker: number) => marker >= 0xe0 && marker <= 0xef;
const isRst = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/**
 * The marker segments of a JPEG in file order (ITU-T T.81 Annex B): SOI, then segments with a
 * length, each SOS followed by its entropy-coded data (which ends at the first marker that is not
 * a stuffed 0xFF00 or a restart marker), up to EOI; nothing may follow EOI. Throws
 * MalformedImageError otherwise.
 */
export function listJpegSegments(jpeg: Buffer): JpegSegment[] {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) throw new MalformedImageError('not a JPEG (no SOI)');
  const segments: JpegSegment[] = [{ marker: SOI, start: 0, end: 2 }];
  let offset = 2;
  for (;;) {
    if (offset + 2 > jpeg.length || jpeg[offset] !== 0xff) throw new MalformedImageError('JPEG marker expected');
    while (jpeg[offset + 1] === 0xff) offset += 1; // fill bytes before a marker (T.81 B.1.1.2)
    const marker = jpeg[offset + 1]!;
    if (marker === EOI) {
      segments.push({ marker, start: offset, end: offset + 2 });
      if (offset + 2 !== jpeg.length) throw new MalformedImageError('bytes after the JPEG end marker');
      return segments;
    }
    if (offset + 4 > jpeg.length) throw new MalformedImageError('JPEG segment cut short');
    const length = jpeg.readUInt16BE(offset + 2);
    let end = offset + 2 + length;
    if (length < 2 || end > jpeg.length) throw new MalformedImageError('JPEG segment runs past the end');
    if (marker === SOS) {
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker.
      while (end + 1 < jpeg.length && !(jpeg[end] === 0xff && jpeg[end + 1] !== 0x00 && !isRst(jpeg[end + 1]!))) end += 1;
      if (end + 1 >= jpeg.length) throw new MalformedImageError('JPEG scan data runs past the end');
    }
    segments.push({ marker, start: offset, end });
    offset = end;
  }
}

/**
 * A JPEG without application segments (APP0–APP15: JFIF and its density, EXIF, XMP, ICC, IPTC,
 * Adobe, maker data) and comments (COM); every other segment and the scan data are copied byte for
 * byte. sharp's output is YCbCr or greyscale in sRGB, which decoders assume when no JFIF or Adobe
 * segment says otherwise. Throws MalformedImageError as `listJpegSegments`.
 */
export function stripJpegMetadata(jpeg: Buffer): Buffer {
  const kept = listJpegSegments(jpeg)
    .filter((segment) => !isApp(segment.marker) && segment.marker !== COM)
    .map((segment) => jpeg.subarray(segment.start, segment.end));
  return Buffer.concat(kept);
}

/** One chunk of a WebP (RIFF) file: `end` includes its padding byte. */
export type WebpChunk = { type: string; start: number; end: number; dataLength: number };

/** WebP chunks a stored photo keeps: the bitstreams, the alpha plane, and the extended header. */
export const WEBP_KEPT_CHUNKS: readonly string[] = ['VP8 ', 'VP8L', 'VP8X', 'ALPH'];

/** VP8X flag bits (RFC 9649 §2.7): ICC profile, EXIF, XMP, animation. */
const VP8X_ICC = 0x20;
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;
const VP8X_ANIMATION = 0x02;

/**
 * The chunks of a WebP file (RFC 9649): a RIFF header whose size matches the file, then chunks,
 * each padded to an even length. Throws MalformedImageError otherwise.
 */
export function listWebpChunks(webp: Buffer): WebpChunk[] {
  if (webp.length < 12 || webp.toString('latin1', 0, 4) !== 'RIFF' || webp.toString('latin1', 8, 12) !== 'WEBP') {
    throw new MalformedImageError('not a WebP RIFF header');
  }
  if (webp.readUInt32LE(4) + 8 !== webp.length) throw new MalformedImageError('WebP RIFF size does not match the file');
  const chunks: WebpChunk[] = [];
  for (let offset = 12; offset < webp.length; ) {
    if (offset + 8 > webp.length) throw new MalformedImageError('WebP chunk header cut short');
    const dataLength = webp.readUInt32LE(offset + 4);
    const end = offset + 8 + dataLength + (dataLength % 2);
    if (end > webp.length) throw new MalformedImageError('WebP chunk runs past the end');
    chunks.push({ type: webp.toString('latin1', offset, offset + 4), start: offset, end, dataLength });
    offset = end;
  }
  return chunks;
}

/**
 * A still WebP with only WEBP_KEPT_CHUNKS (dropping ICCP, EXIF, XMP and unknown chunks), the VP8X
 * flags for the dropped ones cleared and the RIFF size rewritten. Throws MalformedImageError on bad
 * framing, on an animation (ANIM/ANMF; sharp is asked for one frame), or with no bitstream.
 */
export function stripWebpMetadata(webp: Buffer): Buffer {
  const chunks = listWebpChunks(webp);
  if (chunks.some((chunk) => chunk.type === 'ANIM' || chunk.type === 'ANMF')) throw new MalformedImageError('animated WebP');
  if (!chunks.some((chunk) => chunk.type === 'VP8 ' || chunk.type === 'VP8L')) throw new MalformedImageError('WebP without a bitstream');
  const kept = chunks
    .filter((chunk) => WEBP_KEPT_CHUNKS.includes(chunk.type))
    .map((chunk) => {
      const bytes = Buffer.from(webp.subarray(chunk.start, chunk.end));
      if (chunk.type === 'VP8X' && chunk.dataLength >= 1) {
        if (bytes[8]! & VP8X_ANIMATION) throw new MalformedImageError('animated WebP');
        bytes[8] = bytes[8]! & ~(VP8X_ICC | VP8X_EXIF | VP8X_XMP);
      }
      return bytes;
    });
  const body = Buffer.concat(kept);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * Remove every non-pixel part of an image sharp wrote, by its type (see the functions above).
 * @throws MalformedImageError when the bytes are not the container their type says.
 */
export function stripImageMetadata(bytes: Buffer, mimeType: 'image/jpeg' | 'image/png' | 'image/webp'): Buffer {
  if (mimeType === 'image/png') return stripPngMetadata(bytes);
  if (mimeType === 'image/jpeg') return stripJpegMetadata(bytes);
  return stripWebpMetadata(bytes);
}
