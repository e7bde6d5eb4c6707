/**
 * The publish form's input: one zod schema for the editor's choices, and the parsers that read it
 * from the HTML form's FormData (the form works without JavaScript, so the server is the only
 * validator). Pure; used by the Server Actions and the tests. Messages are i18n keys of the
 * `publishing` namespace.
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import { PLACE_COARSENINGS, TIME_COARSENINGS } from '@/db/enums';
import { cleanCaption, PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import { MAX_PHOTOS_PER_REPORT } from '@/lib/photos/rules';
import type { Refusal } from '@/lib/refusal';
import { DEFAULT_PLACE_COARSENING, DEFAULT_TIME_COARSENING } from './coarsen';
import { LEAK_KEY_MAX_CHARS } from './limits';
import { PUBLICATION_LIMITS, type PublishChoices, type PublishingMessageKey } from './snapshot';

const L = PUBLICATION_LIMITS;

/** Plain text as the editor typed it: NFC, CRLF → LF, no NUL, trimmed. */
function cleanText(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\u0000/g, '').trim();
}

const positions = z.array(z.number().int().min(0).max(10_000)).max(100);

/** A photo that goes public with the caption the editor approved (same rules as the partner's). */
const publicPhoto = z.strictObject({
  id: z.number().int().min(1),
  caption: z
    .string()
    .transform(cleanCaption)
    .pipe(z.string().max(PHOTO_CAPTION_MAX_CHARS, 'publishing.errors.photoCaptionTooLong')),
});

const titleText = z
  .string()
  .transform(cleanText)
  .pipe(z.string().max(L.titleMaxChars, 'publishing.errors.titleTooLong'));
const summaryText = z.string().transform(cleanText).pipe(z.string().max(L.summaryMaxChars, 'publishing.errors.summaryTooLong'));

/**
 * The editor's choices as the form names them (flat: `titleEn`, `titleKo`, `summaryEn`,
 * `summaryKo`), made into PublishChoices (`title: { en, ko }`, `summary: { en, ko }`). A title in
 * at least one language is required (issue 19 item 11); either summary may be empty. Unknown keys
 * are refused.
 */
export const publishChoicesSchema = z
  .strictObject({
    titleEn: titleText,
    titleKo: titleText,
    summaryEn: summaryText,
    summaryKo: summaryText,
    placeCoarsening: z.enum(PLACE_COARSENINGS, 'publishing.errors.invalidChoice'),
    timeCoarsening: z.enum(TIME_COARSENINGS, 'publishing.errors.invalidChoice'),
    showGrading: z.boolean(),
    vehicleRows: positions,
    goodsRows: positions,
    agencyRows: positions,
    photos: z.array(publicPhoto).max(MAX_PHOTOS_PER_REPORT, 'publishing.errors.invalidChoice').optional(),
  })
  .superRefine((value, context) => {
    if (value.titleEn === '' && value.titleKo === '') {
      context.addIssue({ code: 'custom', path: ['titleEn'], message: 'publishing.errors.titleRequired' });
    }
  })
  .transform(({ titleEn, titleKo, summaryEn, summaryKo, ...rest }): PublishChoices => ({
    ...rest,
    title: { en: titleEn, ko: titleKo },
    summary: { en: summaryEn, ko: summaryKo },
  }));

/** The retraction form: a reason the public will read (required). */
export const retractionSchema = z.strictObject({
  reason: z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .min(1, 'publishing.errors.reasonRequired')
        .max(L.retractionReasonMaxChars, 'publishing.errors.reasonTooLong'),
    ),
});

/**
 * What the form shows back after a preview or a refusal (never anything but these fields).
 * `photoCaptions`: every public caption as typed, by photo id, ticked or not, so nothing typed is lost.
 * `confirmedLeaks`: the leak flags the editor ticked as checked (lib/publishing/leak-check.ts keys).
 */
export type PublishFormValues = PublishChoices & { photoCaptions?: Record<number, string>; confirmedLeaks?: string[] };

/** The leak flags ticked as checked on the form (`confirmLeak`, repeated): at most 200 keys, each at most LEAK_KEY_MAX_CHARS. */
export function confirmedLeaksOf(formData: FormData): string[] {
  return [
    ...new Set(
      formData
        .getAll('confirmLeak')
        .slice(0, 200)
        .filter((value): value is string => typeof value === 'string' && value.length <= LEAK_KEY_MAX_CHARS),
    ),
  ];
}

/** Name of the public-caption field of one photo on the publish form. */
export function photoCaptionField(photoId: number): string {
  return `photoCaption-${photoId}`;
}

/** The parsed form, or a refusal (lib/refusal.ts) whose `fieldErrors` is always present. */
export type ParsedForm<T> =
  | { ok: true; value: T; expectedVersion: number; confirmedLeaks?: string[] }
  | (Refusal<never, PublishingMessageKey> & { fieldErrors: Record<string, PublishingMessageKey[]> });

function text(formData: FormData, name: string, maxChars: number): string {
  const value = formData.get(name);
  // Cut far above the limit so the schema still reports "too long" but junk stays small.
  return typeof value === 'string' ? value.slice(0, maxChars * 2 + 10) : '';
}

/** Ticked photo ids (`photos`, repeated): junk becomes -1 (refused by the schema). */
function photoIdsOf(formData: FormData): number[] {
  return formData
    .getAll('photos')
    .slice(0, 50)
    .map((value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : -1));
}

/** The ticked photos with their public captions; undefined when none is ticked. */
function photosOf(formData: FormData): { id: number; caption: string }[] | undefined {
  const ids = [...new Set(photoIdsOf(formData))];
  if (ids.length === 0) return undefined;
  return ids.map((id) => ({ id, caption: id > 0 ? text(formData, photoCaptionField(id), PHOTO_CAPTION_MAX_CHARS) : '' }));
}

function positionsOf(formData: FormData, name: string): number[] {
  return formData
    .getAll(name)
    .slice(0, 200)
    .map((value) => (typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : -1));
}

/**
 * The version the editor's page was rendered with (`reports.version`), or null when missing or
 * not a positive whole number.
 */
export function parseExpectedVersion(formData: FormData): number | null {
  const value = formData.get('version');
  return typeof value === 'string' && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

/**
 * The choices as typed, for showing the form again (enums that are not valid fall back to the
 * defaults, unreadable row positions are dropped). Never validated — see `parsePublishForm`.
 */
export function readPublishFormValues(formData: FormData): PublishFormValues {
  const place = formData.get('placeCoarsening');
  const time = formData.get('timeCoarsening');
  return {
    title: { en: text(formData, 'titleEn', L.titleMaxChars), ko: text(formData, 'titleKo', L.titleMaxChars) },
    summary: { en: text(formData, 'summaryEn', L.summaryMaxChars), ko: text(formData, 'summaryKo', L.summaryMaxChars) },
    placeCoarsening: PLACE_COARSENINGS.find((c) => c === place) ?? DEFAULT_PLACE_COARSENING,
    timeCoarsening: TIME_COARSENINGS.find((c) => c === time) ?? DEFAULT_TIME_COARSENING,
    showGrading: formData.get('showGrading') === 'on',
    vehicleRows: positionsOf(formData, 'vehicleRows').filter((p) => p >= 0),
    goodsRows: positionsOf(formData, 'goodsRows').filter((p) => p >= 0),
    agencyRows: positionsOf(formData, 'agencyRows').filter((p) => p >= 0),
    photos: photosOf(formData)?.filter((photo) => photo.id > 0),
    photoCaptions: Object.fromEntries(
      [...formData.keys()]
        .filter((key) => /^photoCaption-\d{1,15}$/.test(key))
        .slice(0, 50)
        .map((key) => [Number(key.slice('photoCaption-'.length)), text(formData, key, PHOTO_CAPTION_MAX_CHARS)]),
    ),
    confirmedLeaks: confirmedLeaksOf(formData),
  };
}

function collect(error: z.ZodError): Record<string, PublishingMessageKey[]> {
  const fieldErrors: Record<string, PublishingMessageKey[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    const key = (issue.message.startsWith('publishing.') ? issue.message : 'publishing.errors.invalidChoice') as PublishingMessageKey;
    const list = (fieldErrors[field] ??= []);
    if (!list.includes(key)) list.push(key);
  }
  return fieldErrors;
}

/**
 * Parse the publish form (fields: titleEn, titleKo, summaryEn, summaryKo, placeCoarsening,
 * timeCoarsening, showGrading
 * ('on' when ticked), vehicleRows / goodsRows / agencyRows (repeated, row positions), photos
 * (repeated photo ids) with `photoCaption-<id>` (the public caption of each), confirmLeak
 * (repeated leak-flag keys the editor ticked: `confirmedLeaks`), version). `photos` is left out of
 * the value when no photo is ticked.
 * Returns the validated choices and the expected version, or `publishing.errors.invalid` with a
 * message key per field (`version` → `publishing.errors.staleVersion`: a page without a version
 * cannot prove it saw the current report).
 */
export function parsePublishForm(formData: FormData): ParsedForm<PublishChoices> {
  const place = formData.get('placeCoarsening');
  const time = formData.get('timeCoarsening');
  const result = publishChoicesSchema.safeParse({
    titleEn: text(formData, 'titleEn', L.titleMaxChars),
    titleKo: text(formData, 'titleKo', L.titleMaxChars),
    summaryEn: text(formData, 'summaryEn', L.summaryMaxChars),
    summaryKo: text(formData, 'summaryKo', L.summaryMaxChars),
    placeCoarsening: typeof place === 'string' ? place : '',
    timeCoarsening: typeof time === 'string' ? time : '',
    showGrading: formData.get('showGrading') === 'on',
    vehicleRows: positionsOf(formData, 'vehicleRows'),
    goodsRows: positionsOf(formData, 'goodsRows'),
    agencyRows: positionsOf(formData, 'agencyRows'),
    photos: photosOf(formData),
  });
  const expectedVersion = parseExpectedVersion(formData);
  if (!result.success || expectedVersion === null) {
    const fieldErrors = result.success ? {} : collect(result.error);
    if (expectedVersion === null) fieldErrors.version = ['publishing.errors.staleVersion'];
    return { ok: false, messageKey: 'publishing.errors.invalid', fieldErrors };
  }
  const { photos, ...rest } = result.data;
  return { ok: true, value: photos ? { ...rest, photos } : rest, expectedVersion, confirmedLeaks: confirmedLeaksOf(formData) };
}

/** Parse the retraction form (fields: reason, version). Same result shape as `parsePublishForm`. */
export function parseRetractionForm(formData: FormData): ParsedForm<{ reason: string }> {
  const result = retractionSchema.safeParse({ reason: text(formData, 'reason', L.retractionReasonMaxChars) });
  const expectedVersion = parseExpectedVersion(formData);
  if (!result.success || expectedVersion === null) {
    const fieldErrors = result.success ? {} : collect(result.error);
    if (expectedVersion === null) fieldErrors.version = ['publishing.errors.staleVersion'];
    return { ok: false, messageKey: 'publishing.errors.retractInvalid', fieldErrors };
  }
  return { ok: true, value: result.data, expectedVersion };
}
