/**
 * Small copies of stored photos for lists (the partner's photos page, the review page, the
 * publish form and the public report), made on request from the already-sanitised photo so that
 * a page of ten photos stays light on a slow phone connection. They are made in memory from the
 * decrypted bytes and never stored, so the uploads directory holds nothing but sealed photo files
 * (docs/security/encryption-at-rest.md) and no copy has to be kept in step with them.
 */
import 'server-only';
import sharp from 'sharp';
import { MAX_PHOTO_PIXELS, type PhotoMimeType } from './rules';
import { stripImageMetadata } from './strip-metadata';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 480;

/**
 * What a thumbnail's bytes depend on besides the photo: its size, quality and filter, and the
 * encoder (sharp and libvips versions). Part of a public thumbnail's ETag (lib/publishing/
 * public-photos.ts `getPublicPhoto`), so an upgrade that encodes differently never reuses a strong tag.
 */
export const THUMBNAIL_VERSION = `${THUMBNAIL_SIDE}px-q80-strip1-sharp${sharp.versions.sharp ?? ''}-vips${sharp.versions.vips}`;

/**
 * A copy of a stored photo scaled to fit THUMBNAIL_SIDE (never enlarged), in the same format,
 * written without any metadata (sharp writes none unless asked, except a PNG's pHYs chunk, which
 * stripImageMetadata removes).
 * @param data a stored photo as `readPhotoFile` decrypted it (already sanitised; the pixel cap is
 *   re-applied anyway).
 * @throws if the stored file cannot be decoded (a damaged disk: a server error, not user input).
 */
export async function makeThumbnail({ data, mimeType }: { data: Buffer; mimeType: PhotoMimeType }): Promise<Buffer> {
  const pipeline = sharp(data, { limitInputPixels: MAX_PHOTO_PIXELS }).resize({
    width: THUMBNAIL_SIDE,
    height: THUMBNAIL_SIDE,
    fit: 'inside',
    withoutEnlargement: true,
  });
  const encoded =
    mimeType === 'image/jpeg'
      ? pipeline.jpeg({ quality: 80 })
      : mimeType === 'image/png'
        ? pipeline.png({ compressionLevel: 9 })
        : pipeline.webp({ quality: 80 });
  // The same container filter as the stored photo: libvips adds a pHYs chunk to every PNG.
  return stripImageMetadata(await encoded.toBuffer(), mimeType);
}
