/**
 * The public title and summary in both languages (issue 19 item 11): an editor writes each in
 * English, Korean or both; readers get their own language and, when that one is empty, the other,
 * marked as such (a `lang` attribute and a visible "(in Korean)" / "(영어)"). Pure: used by the
 * publish form, the snapshot, the public pages, the feed and the exports.
 *
 * Older snapshots (version 1) held one `title` and one `summary`, in whatever language the partner
 * wrote. They belong to the language of their title: Korean when it holds a Hangul syllable, else
 * English (`languageOfText`). Migration 0011 rewrites stored snapshots by the same rule
 * (docs/decisions/0011-public-text-in-two-languages.md); `upgradeSnapshotTexts` reads any left over.
 */
import type { Locale } from '@/lib/i18n/config';

/** A public text in English and Korean; either may be empty (''), never both for a title. */
export type LocalisedText = { en: string; ko: string };

/** The languages public text is written in, in the order forms and exports list them. */
export const PUBLIC_LANGUAGES = ['en', 'ko'] as const satisfies readonly Locale[];

/** Hangul syllables (U+AC00–U+D7A3) and conjoining or compatibility jamo. */
const HANGUL = /[\uAC00-\uD7A3\u1100-\u11FF\u3130-\u318F]/u;

/**
 * The language a partner's text is taken to be written in: 'ko' when it holds any Hangul (a
 * syllable or a jamo), else 'en'. The rule of the prefilled public text and of snapshots stored
 * before issue 19 (a title is short and written in one language; an editor moves the text to the
 * other field if the rule guessed wrong).
 */
export function languageOfText(text: string): Locale {
  return HANGUL.test(text) ? 'ko' : 'en';
}

/** `text` as the value of its own language (`languageOfText(by)`, default: of itself); the other is ''. */
export function inLanguageOf(text: string, by: string = text): LocalisedText {
  return languageOfText(by) === 'ko' ? { en: '', ko: text } : { en: text, ko: '' };
}

/**
 * What a reader in `locale` sees of a public text: their own language when it is not empty, else
 * the other (`isFallback` true: show it with `lang` and a marker). Null when both are empty.
 */
export function pickLanguage(text: LocalisedText, locale: Locale): { text: string; lang: Locale; isFallback: boolean } | null {
  const other: Locale = locale === 'ko' ? 'en' : 'ko';
  if (text[locale].trim() !== '') return { text: text[locale], lang: locale, isFallback: false };
  if (text[other].trim() !== '') return { text: text[other], lang: other, isFallback: true };
  return null;
}

/**
 * A stored snapshot's title and summary as `LocalisedText`, whatever version wrote it: version 2
 * objects are kept (missing languages become ''); version 1 strings go to the language of the
 * title (`languageOfText`). Anything else becomes '' (the public page shows nothing rather than junk).
 */
export function upgradeSnapshotTexts(raw: { title?: unknown; summary?: unknown }): { title: LocalisedText; summary: LocalisedText } {
  const asText = (value: unknown): LocalisedText | null => {
    if (value === null || typeof value !== 'object') return null;
    const { en, ko } = value as { en?: unknown; ko?: unknown };
    return { en: typeof en === 'string' ? en : '', ko: typeof ko === 'string' ? ko : '' };
  };
  const title = asText(raw.title);
  const summary = asText(raw.summary);
  if (title && summary) return { title, summary };
  const oldTitle = typeof raw.title === 'string' ? raw.title : '';
  const oldSummary = typeof raw.summary === 'string' ? raw.summary : '';
  return {
    title: title ?? inLanguageOf(oldTitle),
    summary: summary ?? inLanguageOf(oldSummary, oldTitle || oldSummary),
  };
}
