/**
 * The interface language of a first visit: the browser's `Accept-Language` header matched against
 * LOCALES. Pure (no imports but the locale list), unit tested beside it.
 *
 * Rules (RFC 9110 §12.5.4 for the header, RFC 4647 §3.4 "Lookup" for matching): each entry is a
 * language range with an optional weight `;q=` (0–1, default 1; q=0 means "not acceptable");
 * entries are tried by weight, highest first, ties in the order sent. A range matches a locale
 * when it is the locale or begins with it and a hyphen (`ko-KR` → `ko`), case-insensitively.
 * `*` and unknown ranges match nothing here: the caller falls back (English). Malformed entries
 * are skipped; a header of absurd length is read only up to its first 64 entries.
 */
import { LOCALES, type Locale } from '@/db/enums';

const MAX_ENTRIES = 64;
const RANGE_PATTERN = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i;
const WEIGHT_PATTERN = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/** The supported locale an `Accept-Language` header prefers, or null when it names none of them. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranges: { range: string; weight: number; order: number }[] = [];
  for (const [order, entry] of acceptLanguage.split(',').slice(0, MAX_ENTRIES).entries()) {
    const [rangeText = '', ...params] = entry.split(';').map((part) => part.trim());
    if (!RANGE_PATTERN.test(rangeText)) continue;
    let weight = 1;
    for (const param of params) {
      const match = WEIGHT_PATTERN.exec(param);
      if (match?.[1] !== undefined) weight = Number(match[1]);
    }
    if (weight > 0) ranges.push({ range: rangeText.toLowerCase(), weight, order });
  }
  ranges.sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { range } of ranges) {
    const locale = LOCALES.find((candidate) => range === candidate || range.startsWith(`${candidate}-`));
    if (locale !== undefined) return locale;
  }
  return null;
}
