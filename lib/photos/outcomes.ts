/**
 * What a photo action tells the partner: the error codes the data layer and the upload route
 * return, the notices shown after success, and their i18n keys (lib/i18n/messages/{en,ko}/photos.json).
 * Codes travel in redirect URLs (`?error=svg`) and JSON answers, so the page only ever shows a
 * message chosen from this list — never text taken from the URL. Pure (client forms import it).
 */
import { PHOTO_CAPTION_MAX_CHARS } from './captions';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_REPORT, PHOTO_MESSAGE_VALUES, PHOTO_REFUSAL_MESSAGE_KEYS, PHOTO_REFUSAL_REASONS } from './rules';

/** Why a photo action was refused (besides `not_found`, which pages answer with a 404). */
export const PHOTO_ERROR_CODES = [
  ...PHOTO_REFUSAL_REASONS,
  'too_many',
  'not_editable',
  'caption_too_long',
  'no_file',
  'incomplete',
  'failed',
  'signed_out',
  // Sent from a page of another account than the one signed in (lib/auth/tab-owner.ts).
  'other_account',
] as const;
export type PhotoErrorCode = (typeof PHOTO_ERROR_CODES)[number];

/** i18n key of each error code. */
export const PHOTO_ERROR_MESSAGE_KEYS: Record<PhotoErrorCode, string> = {
  ...PHOTO_REFUSAL_MESSAGE_KEYS,
  too_many: 'photos.errors.tooMany',
  not_editable: 'photos.errors.notEditable',
  caption_too_long: 'photos.errors.captionTooLong',
  no_file: 'photos.errors.noFile',
  incomplete: 'photos.errors.incomplete',
  failed: 'photos.errors.failed',
  signed_out: 'photos.errors.signedOut',
  other_account: 'photos.errors.otherAccount',
};

/** Notices after a successful action (`?done=uploaded`). */
export const PHOTO_NOTICE_CODES = ['uploaded', 'removed', 'caption_saved'] as const;
export type PhotoNoticeCode = (typeof PHOTO_NOTICE_CODES)[number];

/** i18n key of each notice. */
export const PHOTO_NOTICE_MESSAGE_KEYS: Record<PhotoNoticeCode, string> = {
  uploaded: 'photos.notices.uploaded',
  removed: 'photos.notices.removed',
  caption_saved: 'photos.notices.captionSaved',
};

/** ICU values every photo message may use: {maxMegabytes}, {maxMegapixels}, {max}, {maxChars}. */
export const PHOTO_ERROR_VALUES = {
  ...PHOTO_MESSAGE_VALUES,
  max: MAX_PHOTOS_PER_REPORT,
  maxChars: PHOTO_CAPTION_MAX_CHARS,
} as const;

/** Most bytes one upload request may carry: one photo plus its caption and multipart framing. */
export const MAX_UPLOAD_BODY_BYTES = MAX_PHOTO_BYTES + 64 * 1024;

/** The error code in `value` if it is one of ours (e.g. from a URL), else null. */
export function toPhotoErrorCode(value: unknown): PhotoErrorCode | null {
  return PHOTO_ERROR_CODES.find((code) => code === value) ?? null;
}

/** The notice code in `value` if it is one of ours, else null. */
export function toPhotoNoticeCode(value: unknown): PhotoNoticeCode | null {
  return PHOTO_NOTICE_CODES.find((code) => code === value) ?? null;
}
