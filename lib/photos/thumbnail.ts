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

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 480;

/**
 * A copy of a stored photo scaled to fit THUMBNAIL_SIDE (never enlarged), in the same format,
 * written without any metadata (sharp writes none unless asked).
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
  if (mimeType === 'image/jpeg') return pipeline.jpeg({ quality: 80 }).toBuffer();
  if (mimeType === 'image/png') return pipeline.png({ compressionLevel: 9 }).toBuffer();
  return pipeline.webp({ quality: 80 }).toBuffer();
}
