import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { Feed } from 'feed';
import { getEnv } from '@/lib/env';
import { EXPORT_COLUMNS, exportRowsOf, toCsvCell, type ExportRow } from './export-rows';
import { EMPTY_FILTERS, filtersToQuery, type PublicCursor, type PublicFilters } from './filters';
import { listPublications, listRetractions, type PublishedItem } from './public-queries';
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

/** The feed's own words in the reader's language (the route translates them). */
export type FeedLabels = {
  title: string;
  description: string;
  /** The feed's author (RFC 4287 §4.1.1 requires one): the newsroom, never a partner. */
  author: string;
  /** Markers of text shown in the other language: "(in Korean)", "(영어)". */
  language: Record<Locale, string>;
  /** Title of a retracted entry ("Retracted report"). */
  retractedTitle: string;
  /** The notice of a retracted entry: the retraction's date and reason, as the report page words it. */
  retractionNotice: (notice: { retractedAt: number; reason: string }) => string;
};

/**
 * The Atom feed (RFC 4287) of the latest FEED_SIZE entries, written with the `feed` package:
 * - the feed: `id` (the /reports URL, plus the filters' query when filtered), `title`, `subtitle`,
 *   `author` (the newsroom, §4.1.1), `updated` (the latest entry's), links to /reports and itself;
 * - one entry per publication matching `filters` (the /reports filters, filters.ts; the cursor is
 *   ignored): the public title, its public page as link and id, `updated` = the publication time,
 *   `published` = the first publication, and a summary of attribution, period and summary text in
 *   `locale` ('en' | 'ko'), else in the other language followed by its marker (issue 19 item 11);
 * - one entry per retraction (the latest FEED_SIZE, whatever the filters — the entry holds none of
 *   the report's data, so it cannot tell what a retracted report was about): the same id and link
 *   as the publication's entry, `updated` = the retraction time, the retracted title and the notice
 *   as content (issue 20 item 6), so a reader's copy of the entry is replaced, not left standing.
 * Entries sorted by `updated`, newest first, FEED_SIZE at most. Titles and text are HTML-escaped
 * (Atom type="html", escapeHtml), so nothing a report says runs in a feed reader.
 */
export function buildAtomFeed({
  origin,
  locale,
  labels,
  filters = EMPTY_FILTERS,
}: {
  origin: string;
  locale: 'en' | 'ko';
  labels: FeedLabels;
  filters?: PublicFilters;
}): string {
  const selection = { ...filters, cursor: null };
  const query = filtersToQuery(selection);
  const { items } = listPublications({ filters: selection, limit: FEED_SIZE });
  const retractions = listRetractions({ limit: FEED_SIZE });
  type Entry = { updated: number; add: () => void };
  const entries: Entry[] = [];
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
    entries.push({
      updated: publishedAt,
      add: () =>
        feed.addItem({
          title: escapeHtml(marked(snapshot.title)),
          id: link,
          link,
          date: new Date(publishedAt),
          published: new Date(snapshot.firstPublishedAt ?? publishedAt),
          description: escapeHtml(summary ? `${lead}. ${summary}` : lead),
        }),
    });
  }
  for (const notice of retractions) {
    const link = `${origin}/reports/${encodeURIComponent(notice.publicId)}`;
    const text = escapeHtml(labels.retractionNotice(notice));
    entries.push({
      updated: notice.retractedAt,
      add: () => feed.addItem({ title: escapeHtml(labels.retractedTitle), id: link, link, date: new Date(notice.retractedAt), description: text, content: text }),
    });
  }
  entries.sort((a, b) => b.updated - a.updated);
  const shown = entries.slice(0, FEED_SIZE);
  const langQuery = locale === 'ko' ? `${query ? '&' : '?'}lang=ko` : '';
  const feed = new Feed({
    id: `${origin}/reports${query}`,
    title: labels.title,
    description: labels.description,
    link: `${origin}/reports${query}`,
    language: locale,
    author: { name: labels.author, link: origin },
    feedLinks: { atom: `${origin}/feed.xml${query}${langQuery}` },
    updated: new Date(shown[0]?.updated ?? 0),
    generator: false,
  });
  for (const entry of shown) entry.add();
  return feed.atom1();
}
