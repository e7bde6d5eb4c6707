/**
 * Limits of a report as the partner files it. One place, so the schema, the FormData parser, the
 * form's `maxLength` attributes and the messages' `{max}` placeholders agree.
 *
 * Sources: title, narrative, row counts and the 0–100,000 count range are product rules
 * (docs/product.md, "A report"; issue 3). The other text limits are ours, chosen generously for what each
 * field is for (a note, a name, a unit) while keeping a draft from holding junk. Text lengths count
 * UTF-16 code units after NFC normalisation and CRLF → LF, the same unit the browser's `maxLength`
 * counts (a Hangul syllable is one; an emoji is two).
 */
export const REPORT_LIMITS = {
  titleMaxChars: 120,
  narrativeMaxChars: 20_000,
  timeNoteMaxChars: 500,
  placeDetailMaxChars: 500,
  safetyNoteMaxChars: 2_000,
  coloursMaxChars: 200,
  cargoMaxChars: 500,
  goodsDescriptionMaxChars: 500,
  unitMaxChars: 40,
  otherAgencyNameMaxChars: 200,
  agencyNoteMaxChars: 1_000,
  /** Gazetteer, goods-category and agency ids: lower-case slugs such as 'kp-yanggang'. */
  referenceIdMaxChars: 64,

  vehicleRowsMax: 50,
  goodsRowsMax: 50,
  agencyRowsMax: 30,

  /** Vehicle counts: whole numbers. */
  countMin: 0,
  countMax: 100_000,
  /** Goods quantity and value: decimals from 0 up to this (KPW sums run into the millions). */
  amountMax: 1_000_000_000_000,
  /** Digits after the decimal point in a goods quantity or value. */
  amountMaxDecimals: 6,

  /** FormData: most entries one post may carry (all fields, including Next's own). */
  formFieldsMax: 2_000,
  /** FormData: most UTF-8 bytes in one field value (the narrative is ≤ 60 KB even in Hangul). */
  formValueMaxBytes: 100 * 1024,
} as const;
