/**
 * Photo captions: the partner's caption (stored in `photos.caption`) and the editor-approved
 * public caption (stored in the publication snapshot) follow the same rules. Pure, so the upload
 * form, the publish form and the data layer agree.
 *
 * Rules (issue 7 brief): plain text, NFC, at most PHOTO_CAPTION_MAX_CHARS. A caption is one line:
 * line breaks and tabs become spaces, other control characters are dropped, runs of spaces are
 * kept as typed except at the ends (trimmed). Lengths count UTF-16 code units after cleaning, the
 * unit the browser's `maxLength` counts (as lib/reports/limits.ts does).
 */

/** Longest caption, in UTF-16 code units after cleaning. */
export const PHOTO_CAPTION_MAX_CHARS = 300;

/** The i18n key of a caption that is too long (placeholder {maxChars}). */
export const CAPTION_TOO_LONG_KEY = 'photos.errors.captionTooLong';

/**
 * A caption as it will be stored: NFC, line breaks and tabs → spaces, other C0/C1 control
 * characters removed, trimmed. Never fails; see `parseCaption` for the length rule.
 */
export function cleanCaption(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim();
}

/**
 * Clean a caption and check its length.
 * @param value anything read from a form (non-strings count as an empty caption)
 * @returns `{ ok: true, caption }` or `{ ok: false, message: 'photos.errors.captionTooLong' }`
 *   (show with `{ maxChars: PHOTO_CAPTION_MAX_CHARS }`).
 */
export function parseCaption(value: unknown): { ok: true; caption: string } | { ok: false; message: typeof CAPTION_TOO_LONG_KEY } {
  const caption = typeof value === 'string' ? cleanCaption(value) : '';
  if (caption.length > PHOTO_CAPTION_MAX_CHARS) return { ok: false, message: CAPTION_TOO_LONG_KEY };
  return { ok: true, caption };
}
