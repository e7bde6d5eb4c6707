/**
 * Photo limits and refusal reasons shared by the server pipeline (sanitize.ts, storage.ts) and
 * the report form (which may pre-check size and type before uploading; the server re-checks).
 * Pure: no sharp, no fs, no db, so client components can import it.
 *
 * Source of the limits: docs/product.md ("photos" row: JPEG / PNG / WebP, ≤ 10 MB each, ≤ 10 a report)
 * and docs/security/README.md ("Uploads": magic bytes, size and pixel count capped).
 */

/** Largest accepted upload, in bytes (10 MiB = 10 * 1024 * 1024). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * Largest accepted pixel count (width × height, read from the header before decoding).
 * 40 megapixels covers current phone cameras at full resolution (12–24 MP usual, 48–50 MP
 * sensors bin to 12 MP by default) while keeping a decode under about 160 MB of RAM.
 */
export const MAX_PHOTO_PIXELS = 40_000_000;

/** Longest side of a stored photo, in pixels; larger photos are scaled down (never up). */
export const MAX_PHOTO_SIDE = 4096;

/** Most photos one report may carry (docs/product.md). Enforced by the caller, not by this library. */
export const MAX_PHOTOS_PER_REPORT = 10;

/** The only types we store; matches the `photos.mime_type` column enum in db/schema.ts. */
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMimeType = (typeof PHOTO_MIME_TYPES)[number];

/** File extension of each stored type (stored names end in it; serving derives nothing from it). */
export const PHOTO_EXTENSIONS: Record<PhotoMimeType, 'jpg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Why an upload was refused. Each maps to one i18n key under `photos.errors`. */
export const PHOTO_REFUSAL_REASONS = [
  'empty',
  'too_large',
  'unsupported_type',
  'heic',
  'svg',
  'too_many_pixels',
  'corrupt',
] as const;
export type PhotoRefusalReason = (typeof PHOTO_REFUSAL_REASONS)[number];

/** i18n message key of each refusal reason (texts in lib/i18n/messages/{en,ko}/photos.json). */
export const PHOTO_REFUSAL_MESSAGE_KEYS = {
  empty: 'photos.errors.empty',
  too_large: 'photos.errors.tooLarge',
  unsupported_type: 'photos.errors.unsupportedType',
  heic: 'photos.errors.heic',
  svg: 'photos.errors.svg',
  too_many_pixels: 'photos.errors.tooManyPixels',
  corrupt: 'photos.errors.corrupt',
} as const satisfies Record<PhotoRefusalReason, string>;
export type PhotoRefusalMessageKey = (typeof PHOTO_REFUSAL_MESSAGE_KEYS)[PhotoRefusalReason];

/**
 * ICU values for the refusal messages ({maxMegabytes}, {maxMegapixels}); pass them to `t(key, values)`.
 * Keys without placeholders ignore them.
 */
export const PHOTO_MESSAGE_VALUES = {
  maxMegabytes: MAX_PHOTO_BYTES / (1024 * 1024),
  maxMegapixels: MAX_PHOTO_PIXELS / 1_000_000,
} as const;

