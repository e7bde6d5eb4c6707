/**
 * The container filters of strip-metadata.ts on hand-built files (issue 16 item 13): a PNG keeps
 * only IHDR, PLTE, tRNS, IDAT and IEND, byte for byte with their CRCs; a JPEG loses its APPn and COM
 * segments and keeps its scan; a WebP loses ICCP/EXIF/XMP and their VP8X flags. Damaged framing is
 * refused rather than passed through.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  listJpegSegments,
  listPngChunks,
  listWebpChunks,
  MalformedImageError,
  pngCrc32,
  tableCrc32,
  stripJpegMetadata,
  stripPngMetadata,
  stripWebpMetadata,
} from './strip-metadata';
import {
  crc32,
  GPS_EXIF,
  insertJpegSegment,
  insertPngChunks,
  jfifApp0,
  noisyImage,
  pngChunk,
  pngWithEveryAncillaryChunk,
  SECRET_NAME,
  SECRET_SERIAL,
  SECRET_TEXT,
  twoColourImage,
  XMP,
} from './test-images';

const types = (png: Buffer) => listPngChunks(png).map((chunk) => chunk.type);

async function rawPixels(image: Buffer) {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('stripPngMetadata', () => {
  it('drops pHYs, tEXt, iTXt, zTXt, tIME, eXIf and iCCP, keeping the critical chunks byte for byte and the pixels', async () => {
    const input = await pngWithEveryAncillaryChunk();
    // Positive control: every chunk is there and CRC-correct (listPngChunks checks each CRC).
    expect(types(input)).toEqual(expect.arrayContaining(['pHYs', 'tEXt', 'iTXt', 'zTXt', 'tIME', 'eXIf', 'iCCP']));
    const phys = listPngChunks(input).find((c) => c.type === 'pHYs')!;
    expect(input.readUInt32BE(phys.start + 8)).toBe(11_811); // 300 dpi in pixels per metre

    const output = stripPngMetadata(input);

    expect(new Set(types(output))).toEqual(new Set(['IHDR', 'IDAT', 'IEND']));
    for (const needle of ['pHYs', 'tEXt', 'iTXt', 'zTXt', 'tIME', 'eXIf', 'iCCP', SECRET_NAME, SECRET_TEXT, SECRET_SERIAL]) {
      expect(output.includes(Buffer.from(needle, 'latin1')), needle).toBe(false);
    }
    const critical = listPngChunks(input).filter((c) => ['IHDR', 'IDAT', 'IEND'].includes(c.type));
    expect(Buffer.concat([output.subarray(0, 8), ...critical.map((c) => input.subarray(c.start, c.end))])).toEqual(output);
    const metadata = await sharp(output).metadata();
    expect([metadata.exif, metadata.icc, metadata.comments]).toEqual([undefined, undefined, undefined]);
  });

  it('leaves the pixels of a plain image as they were, dropping only its pHYs and tIME', async () => {
    const input = insertPngChunks(await noisyImage(12, 9).png().toBuffer(), [pngChunk('tIME', Buffer.from([0x07, 0xe2, 7, 12, 19, 30, 0]))]);
    expect(types(input)).toEqual(['IHDR', 'tIME', 'pHYs', 'IDAT', 'IEND']); // sharp writes pHYs itself
    const output = stripPngMetadata(input);
    expect(types(output)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(await rawPixels(output)).toEqual(await rawPixels(input));
  });

  it('keeps PLTE and tRNS, so a palette image keeps its transparent colour', async () => {
    const palette = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0 } } })
      .png({ palette: true })
      .toBuffer();
    expect(types(palette)).toEqual(expect.arrayContaining(['PLTE', 'tRNS', 'pHYs']));
    const output = stripPngMetadata(palette);
    expect(types(output)).toEqual(types(palette).filter((t) => t !== 'pHYs'));
    expect(await rawPixels(output)).toEqual(await rawPixels(palette));
  });

  it('refuses a chunk whose CRC does not match, bytes after IEND, and an unknown critical chunk', async () => {
    const png = await noisyImage(4, 4).png().toBuffer();
    const badCrc = Buffer.from(png);
    badCrc[20] = badCrc[20]! ^ 0xff; // inside IHDR's data
    expect(() => stripPngMetadata(badCrc)).toThrow(MalformedImageError);
    expect(() => stripPngMetadata(Buffer.concat([png, Buffer.from('trailer')]))).toThrow(/IEND/);
    expect(() => stripPngMetadata(insertPngChunks(png, [pngChunk('ZZZZ', Buffer.from('x'))]))).toThrow(/critical/);
    expect(() => stripPngMetadata(png.subarray(0, png.length - 3))).toThrow(MalformedImageError);
    // An unknown ancillary chunk (lower-case first letter) is dropped like the known ones.
    expect(types(stripPngMetadata(insertPngChunks(png, [pngChunk('vpAg', Buffer.alloc(9))])))).not.toContain('vpAg');
  });

  it('computes the same CRC-32 as the test writer and the PNG specification’s check value', () => {
    expect(pngCrc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
    const bytes = Buffer.from('IEND', 'latin1');
    expect(pngCrc32(bytes)).toBe(crc32(bytes));
    expect(pngCrc32(bytes)).toBe(0xae426082);
    for (const sample of [Buffer.from('123456789', 'latin1'), bytes, Buffer.alloc(0), Buffer.alloc(1000, 0xa5)]) {
      expect(tableCrc32(sample)).toBe(crc32(sample));
    }
  });
});

describe('stripJpegMetadata', () => {
  it('drops a JFIF density segment, EXIF/XMP/ICC APP segments and a comment, keeping the scan', async () => {
    const base = await noisyImage(32, 24).jpeg({ quality: 90 }).withExif(GPS_EXIF).withIccProfile('p3').withXmp(XMP).toBuffer();
    const comment = Buffer.from(SECRET_TEXT, 'latin1');
    const input = insertJpegSegment(insertJpegSegment(base, 0xfe, comment), 0xe0, jfifApp0(300));
    const before = listJpegSegments(input).map((s) => s.marker);
    expect(before).toEqual(expect.arrayContaining([0xe0, 0xe1, 0xe2, 0xfe, 0xda]));
    const app0 = listJpegSegments(input).find((seg) => seg.marker === 0xe0)!;
    expect(input.toString('latin1', app0.start + 4, app0.start + 8)).toBe('JFIF');
    expect(input.readUInt16BE(app0.start + 12)).toBe(300); // X density, dots per inch

    const output = stripJpegMetadata(input);

    const after = listJpegSegments(output).map((s) => s.marker);
    expect(after.filter((m) => (m >= 0xe0 && m <= 0xef) || m === 0xfe)).toEqual([]);
    expect(after).toEqual(before.filter((m) => !((m >= 0xe0 && m <= 0xef) || m === 0xfe)));
    for (const needle of ['JFIF', 'Exif', 'ICC_PROFILE', 'http://ns.adobe.com/xap', SECRET_TEXT, SECRET_NAME]) {
      expect(output.includes(Buffer.from(needle, 'latin1')), needle).toBe(false);
    }
    const scan = (jpeg: Buffer) => {
      const sos = listJpegSegments(jpeg).find((s) => s.marker === 0xda)!;
      return jpeg.subarray(sos.start);
    };
    expect(scan(output)).toEqual(scan(input));
    const metadata = await sharp(output).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
  });

  it('walks a progressive JPEG with several scans and restart markers', async () => {
    const input = await noisyImage(64, 48).jpeg({ progressive: true, quality: 80 }).toBuffer();
    const segments = listJpegSegments(input);
    expect(segments.filter((s) => s.marker === 0xda).length).toBeGreaterThan(1);
    expect(segments.at(-1)?.marker).toBe(0xd9);
    expect(stripJpegMetadata(input)).toEqual(input); // sharp's own output has nothing to drop
  });

  it('refuses bytes after the end marker and a cut-short file', async () => {
    const jpeg = await noisyImage(16, 16).jpeg().toBuffer();
    expect(() => stripJpegMetadata(Buffer.concat([jpeg, Buffer.from('PK\x03\x04', 'latin1')]))).toThrow(/after the JPEG end/);
    expect(() => stripJpegMetadata(jpeg.subarray(0, jpeg.length - 10))).toThrow(MalformedImageError);
  });
});

describe('stripWebpMetadata', () => {
  it('drops ICCP, EXIF and XMP chunks and clears their VP8X flags', async () => {
    const input = await twoColourImage().webp().withExif(GPS_EXIF).withIccProfile('p3').withXmp(XMP).toBuffer();
    expect(listWebpChunks(input).map((c) => c.type)).toEqual(expect.arrayContaining(['VP8X', 'ICCP', 'EXIF', 'XMP ']));

    const output = stripWebpMetadata(input);

    expect(listWebpChunks(output).map((c) => c.type)).toEqual(['VP8X', 'VP8 ']);
    const vp8x = listWebpChunks(output)[0]!;
    expect(output[vp8x.start + 8]! & (0x20 | 0x08 | 0x04)).toBe(0);
    const metadata = await sharp(output).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    const bitstream = (webp: Buffer) => {
      const chunk = listWebpChunks(webp).find((c) => c.type === 'VP8 ')!;
      return webp.subarray(chunk.start, chunk.end);
    };
    expect(bitstream(output)).toEqual(bitstream(input));
  });

  it('refuses a RIFF size that does not match the file', async () => {
    const webp = await noisyImage(8, 8).webp().toBuffer();
    expect(() => stripWebpMetadata(Buffer.concat([webp, Buffer.from('junk')]))).toThrow(/RIFF size/);
  });
});
