/**
 * Hostile test images built in memory (Vitest integration tests and the e2e spec): photos whose
 * EXIF carries GPS, serials and the owner's name, XMP, an ICC profile, IPTC, PNG text chunks,
 * bytes after the end marker, and pixel bombs. Test-only: no production code imports this file.
 */
import sharp, { type Sharp } from 'sharp';
import zlib from 'node:zlib';

// Strings planted in the test images' metadata; none may survive into a stored file.
export const SECRET_NAME = 'Jane Owner';
export const SECRET_SERIAL = 'SN-0042-77193';
export const SECRET_TOOL = 'SecretCam Pro';
export const SECRET_TEXT = 'Met informant at 40.4461N 124.3944E';
export const TRAILER = 'APPENDED-AFTER-END-MARKER';

// Pyongyang-ish coordinates, as EXIF rationals (degrees, minutes, seconds).
export const GPS_EXIF = {
  IFD0: { Make: 'ACME', Model: 'X1', Artist: SECRET_NAME, Copyright: SECRET_NAME },
  IFD2: { BodySerialNumber: SECRET_SERIAL, CameraOwnerName: SECRET_NAME },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '39/1 1/1 10/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '125/1 44/1 18/1',
  },
};

export const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:CreatorTool="${SECRET_TOOL}"><dc:creator><rdf:Seq><rdf:li>${SECRET_NAME}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`;

/** Byte strings that betray metadata in JPEG, PNG or WebP containers. */
export const FORBIDDEN_BYTES = [
  'Exif', // JPEG APP1 EXIF header
  'EXIF', // WebP EXIF chunk
  'eXIf', // PNG EXIF chunk
  'http://ns.adobe.com/xap', // XMP namespace
  'XMP ', // WebP XMP chunk
  'tEXt',
  'iTXt',
  'zTXt',
  'iCCP', // PNG ICC chunk
  'ICCP', // WebP ICC chunk
  'ICC_PROFILE', // JPEG APP2 ICC
  'acsp', // ICC profile signature
  'Photoshop 3.0', // JPEG APP13 (IPTC)
  SECRET_NAME,
  SECRET_SERIAL,
  SECRET_TOOL,
  SECRET_TEXT,
  TRAILER,
];

// ihdr: false because exifr otherwise reports a PNG's IHDR (size, bit depth), which is no metadata.
export const EXIFR_ALL = { gps: true, xmp: true, icc: true, iptc: true, tiff: true, ifd1: true, exif: true, ihdr: false } as const;

// --- building test images by hand ------------------------------------------------------------

/** CRC-32 (ISO 3309, as PNG uses); zlib.crc32 exists only from Node 20.15, engines allow 20.9. */
export function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Insert chunks right after IHDR (signature 8 bytes + IHDR chunk 25 bytes). */
export function insertPngChunks(png: Buffer, chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
}

/** A pHYs chunk: `dpi` dots per inch on both axes, stored as pixels per metre (unit 1). */
export function pngPhysChunk(dpi: number): Buffer {
  const data = Buffer.alloc(9);
  const perMetre = Math.round(dpi / 0.0254);
  data.writeUInt32BE(perMetre, 0);
  data.writeUInt32BE(perMetre, 4);
  data[8] = 1;
  return pngChunk('pHYs', data);
}

/**
 * A 60 × 40 PNG carrying one of every ancillary chunk a phone, scanner or editor leaves: iCCP
 * (Display P3) and eXIf (GPS) written by sharp, then by hand (CRC-correct) pHYs at 300 dpi, tEXt
 * (the owner's name), iTXt (a note), zTXt (a compressed comment) and tIME (last edit 2018-07-12).
 */
export async function pngWithEveryAncillaryChunk(): Promise<Buffer> {
  const base = await twoColourImage().png().withExif(GPS_EXIF).withIccProfile('p3').toBuffer();
  const withoutPhys = Buffer.concat(splitPngChunks(base).filter((chunk) => chunk.toString('latin1', 4, 8) !== 'pHYs'));
  const time = Buffer.from([0x07, 0xe2, 7, 12, 19, 30, 0]);
  return insertPngChunks(Buffer.concat([PNG_SIGNATURE, withoutPhys]), [
    pngPhysChunk(300),
    pngChunk('tEXt', Buffer.from(`Author\0${SECRET_NAME}`, 'latin1')),
    pngChunk('iTXt', Buffer.concat([Buffer.from('Description\0\0\0en\0\0', 'latin1'), Buffer.from(SECRET_TEXT, 'utf8')])),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), zlib.deflateSync(Buffer.from(SECRET_SERIAL, 'latin1'))])),
    pngChunk('tIME', time),
  ]);
}

/** The chunks of a PNG after its signature, each as its own buffer (length, type, data, CRC). */
function splitPngChunks(png: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset + 12 <= png.length; offset += 12 + png.readUInt32BE(offset)) {
    chunks.push(png.subarray(offset, offset + 12 + png.readUInt32BE(offset)));
  }
  return chunks;
}

/** A JFIF APP0 payload announcing `dpi` dots per inch (JFIF 1.02, units 1). */
export function jfifApp0(dpi: number): Buffer {
  const payload = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 1, 0, 0, 0, 0, 0, 0]);
  payload.writeUInt16BE(dpi, 8);
  payload.writeUInt16BE(dpi, 10);
  return payload;
}

/** Insert a JPEG marker segment right after SOI (FFD8). */
export function insertJpegSegment(jpeg: Buffer, marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/** An APP13 Photoshop IRB holding an IPTC record with a by-line (2:80) and a caption (2:120). */
export function iptcApp13(): Buffer {
  const dataset = (tag: number, text: string) => {
    const value = Buffer.from(text, 'utf8');
    const head = Buffer.from([0x1c, 2, tag, 0, 0]);
    head.writeUInt16BE(value.length, 3);
    return Buffer.concat([head, value]);
  };
  const iptc = Buffer.concat([dataset(80, SECRET_NAME), dataset(120, SECRET_TEXT)]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const padding = iptc.length % 2 ? Buffer.from([0]) : Buffer.alloc(0);
  return Buffer.concat([
    Buffer.from('Photoshop 3.0\0', 'latin1'),
    Buffer.from('8BIM', 'latin1'),
    Buffer.from([0x04, 0x04, 0, 0]), // resource 0x0404 (IPTC), empty Pascal name padded to 2 bytes
    size,
    iptc,
    padding,
  ]);
}

/** 60 × 40 pixels, left half red, right half blue (so a rotation is visible in the pixels). */
export function twoColourImage(): Sharp {
  return sharp({ create: { width: 60, height: 40, channels: 3, background: { r: 0, g: 0, b: 255 } } }).composite([
    { input: { create: { width: 30, height: 40, channels: 3, background: { r: 255, g: 0, b: 0 } } }, left: 0, top: 0 },
  ]);
}

export function noisyImage(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
}

/** A PNG header announcing width × height with a tiny IDAT: the pixels are never allocated. */
export function pngBombHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A 60 × 40 JPEG carrying everything a phone leaves behind: GPS EXIF (39°01'10"N 125°44'18"E),
 * the owner's name and the body serial, orientation 6, XMP naming the owner and the tool, a
 * Display P3 ICC profile, and an IPTC record (APP13) with a by-line and a caption.
 */
export async function cameraJpeg(): Promise<Buffer> {
  const withExifXmpIcc = await twoColourImage()
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .withExif(GPS_EXIF)
    .withIccProfile('p3')
    .withXmp(XMP)
    .toBuffer();
  return insertJpegSegment(withExifXmpIcc, 0xed, iptcApp13());
}

/** An SVG with a script, as a file renamed .jpg would carry it. */
export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
