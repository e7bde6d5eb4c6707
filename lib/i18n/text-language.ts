/**
 * The language of a short free text typed by a partner or an editor (a cargo note, a colour, a
 * description, a caption), told from its script: for `lang` attributes on the public pages (issue
 * 20 item 8: Korean inside an English page is broken into lines and read aloud as Korean, and the
 * other way round). Pure.
 *
 * Rule: any Hangul (syllables U+AC00–D7A3, jamo U+1100–11FF and U+3130–318F) and no Latin letter →
 * 'ko'; any Latin letter and no Hangul → 'en'; neither (numbers, punctuation) or both → null (the
 * page's language stands).
 */
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
const LATIN = /[A-Za-z\u00c0-\u024f]/;

/** 'ko', 'en' or null for `text` (see the module's rule). */
export function languageOfText(text: string): 'ko' | 'en' | null {
  const hasHangul = HANGUL.test(text);
  const hasLatin = LATIN.test(text);
  if (hasHangul && !hasLatin) return 'ko';
  if (hasLatin && !hasHangul) return 'en';
  return null;
}
