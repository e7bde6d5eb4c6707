import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { Feed } from 'feed';
import { getEnv } from '@/lib/env';
import { EXPORT_COLUMNS, exportRowsOf, toCsvCell, type ExportRow } from './export-rows';
import { EMPTY_FILTERS, type PublicCursor, type PublicFilters } from './filters';
import { listPublications, type PublishedItem } from './public-queries';
import { escapeHtml } from '@/lib/http/escape-html';
import type { Locale } from '@/lib/i18n/config';
import { pickLanguage, type LocalisedText } from './languages';

/**
 * Machine-readable outputs of the public site: the JSON and CSV exports and the Atom feed. Built
 * only from published snapshots (public-queries.ts), so they can hold nothing an editor did not
 * publish; retracted publications are never in them.
 */

/** Publications per page of the JSON export (and per batch of the CSV stream). */
export const EXPORT_PAGE_SIZE = 100;

/** Entries in the Atom feed (the latest publications). */
export const FEED_SIZE = 50;

/**
 * The site's origin for absolute links: NEXTAUTH_URL when configured (the public URL behind a
 * proxy), else the origin of the request.
 */
export function siteOrigin(requestUrl: string): string {
  const configured = getEnv().NEXTAUTH_URL;
  return new URL(configured ?? requestUrl).origin;
}

function rowsOf(items: readonly PublishedItem[], origin: string, locale: Locale): ExportRow[] {
  return items.flatMap((item) =>
    exportRowsOf({ ...item, url: `${origin}/reports/${encodeURIComponent(item.publicId)}`, locale }),
  );
}

/**
 * One page of the JSON export: the rows of up to EXPORT_PAGE_SIZE publications matching
 * `filters` (newest first; a publication's rows are never split across pages) and the cursor of
 * the next page. Every page costs the same however many publications exist (keyset pagination).
 * `locale`: the reader's language for `title` and `summary` (export-rows.ts), default 'en'.
 */
export function getExportPage({ filters, origin, locale = 'en' }: { filters: PublicFilters; origin: string; locale?: Locale }): {
  rows: ExportRow[];
  nextCursor: PublicCursor | null;
} {
  const page = listPublications({ filters, limit: EXPORT_PAGE_SIZE });
  return { rows: rowsOf(page.items, origin, locale), nextCursor: page.nextCursor };
}

const encoder = new TextEncoder();

/**
 * The whole CSV export as a stream of UTF-8 bytes: a byte-order mark (so spreadsheets read
 * Hangul), a header line of EXPORT_COLUMNS, then the rows of every publication matching `filters`,
 * read EXPORT_PAGE_SIZE publications at a time (memory stays flat however large the export).
 * Written with csv-stringify (RFC 4180 quoting, CRLF line ends); cells through `toCsvCell`.
 * `locale` as `getExportPage`.
 */
export function streamCsvExport({
  filters,
  origin,
  locale = 'en',
}: {
  filters: PublicFilters;
  origin: string;
  locale?: Locale;
}): ReadableStream<Uint8Array> {
  let cursor: PublicCursor | null = filters.cursor;
  let isFirst = true;
  let isDone = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (isDone) return;
      const page = listPublications({ filters: { ...filters, cursor }, limit: EXPORT_PAGE_SIZE });
      const records = rowsOf(page.items, origin, locale).map((row) => EXPORT_COLUMNS.map((column) => toCsvCell(row[column])));
      const text = stringify(isFirst ? [[...EXPORT_COLUMNS], ...records] : records, { record_delimiter: 'windows' });
      controller.enqueue(encoder.encode(isFirst ? `\uFEFF${text}` : text));
      isFirst = false;
      cursor = page.nextCursor;
      if (!cursor) {
        isDone = true;
        controller.close();
      }
    },
  });
}

/**
 * The Atom feed of the latest FEED_SIZE publications (status 'published'; a retraction removes
 * the entry), written with the `feed` package. Each entry: the public title, its public page as
 * link and id, the publication time as `updated` and the first publication as `published`, and a
 * summary of attribution, period and summary text in `locale` ('en' | 'ko'). Titles and text are
 * HTML-escaped (Atom type="html", escapeHtml), so nothing a report says runs in a feed reader.
 * Title and summary are in `locale`, else in the other language followed by the marker of that
 * language (`labels.language`: "(in Korean)", "(영어)"; issue 19 item 11).
 * `labels` are the feed's own translated title and description.
 */
export function buildAtomFeed({
  origin,
  locale,
  labels,
}: {
  origin: string;
  locale: 'en' | 'ko';
  labels: { title: string; description: string; language: Record<Locale, string> };
}): string {
  const { items } = listPublications({ filters: EMPTY_FILTERS, limit: FEED_SIZE });
  const feed = new Feed({
    id: `${origin}/reports`,
    title: labels.title,
    description: labels.description,
    link: `${origin}/reports`,
    language: locale,
    feedLinks: { atom: `${origin}/feed.xml${locale === 'ko' ? '?lang=ko' : ''}` },
    updated: new Date(items[0]?.publishedAt ?? 0),
    generator: false,
  });
  for (const { publicId, publishedAt, snapshot } of items) {
    const link = `${origin}/reports/${encodeURIComponent(publicId)}`;
    const lead = `${snapshot.attribution[locale]} · ${snapshot.period.label[locale]}`;
    const marked = (text: LocalisedText) => {
      const picked = pickLanguage(text, locale);
      if (!picked) return '';
      const shown = picked.text.length > 600 ? `${picked.text.slice(0, 600)}…` : picked.text;
      return picked.isFallback ? `${shown} ${labels.language[picked.lang]}` : shown;
    };
    const summary = marked(snapshot.summary);
    feed.addItem({
      title: escapeHtml(marked(snapshot.title)),
      id: link,
      link,
      date: new Date(publishedAt),
      published: new Date(snapshot.firstPublishedAt ?? publishedAt),
      description: escapeHtml(summary ? `${lead}. ${summary}` : lead),
    });
  }
  return feed.atom1();
}
