import { useLocale, useTranslations } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';
import { pickLanguage, type LocalisedText } from '@/lib/publishing/languages';
import { languageOfText } from '@/lib/i18n/text-language';

/**
 * A public title or summary in the reader's language, or in the other one when theirs is empty
 * (issue 19 item 11; lib/publishing/languages.ts `pickLanguage`). The text carries its `lang`
 * attribute; a fallback is followed by a visible marker ("(in Korean)", "(영어)") outside it.
 * `children` renders the chosen text (e.g. split into paragraphs); by default it is shown as is.
 * Renders nothing when both languages are empty. No script: safe on public pages.
 */
export function PublicText({
  text,
  as: Element = 'span',
  children,
  maxChars,
}: {
  text: LocalisedText;
  /** The element that carries `lang` (default span). */
  as?: 'span' | 'div' | 'section';
  /** Renders the chosen text; default: the text itself. */
  children?: (text: string) => React.ReactNode;
  /** Cut the text to this many characters with "…" (lists and excerpts). */
  maxChars?: number;
}) {
  const locale = useLocale() as Locale;
  const picked = pickLanguage(text, locale);
  if (!picked) return null;
  const shown = maxChars !== undefined && picked.text.length > maxChars ? `${picked.text.slice(0, maxChars)}…` : picked.text;
  return (
    <>
      <Element lang={picked.lang}>{children ? children(shown) : shown}</Element>
      {picked.isFallback ? <LanguageMarker lang={picked.lang} /> : null}
    </>
  );
}

/** The visible marker of a text shown in the other language: " (in Korean)" / " (영어)". */
export function LanguageMarker({ lang }: { lang: Locale }) {
  const t = useTranslations('public');
  return <span className="language-marker"> {t(`language.${lang}`)}</span>;
}

/**
 * A short free text (a cargo note, a colour, a description): marked with `lang` when its script
 * says it is in the other language than the page's (Korean in an English page, or the other way
 * round; lib/i18n/text-language.ts), so it is broken into lines and read aloud in its own language.
 */
export function TextInItsLanguage({ text }: { text: string }) {
  const locale = useLocale();
  const lang = languageOfText(text);
  return lang !== null && lang !== locale ? <span lang={lang}>{text}</span> : <>{text}</>;
}
