/**
 * What a public page's route handler hands the static renderer (render.tsx): plain data read
 * through the data layer, the reader's language and the messages. Types only.
 */
import type { Locale } from '@/lib/i18n/config';
import type { BorderMapModel } from '@/lib/map/border-map';
import type { getObservedPerMonth, getPublicOfficialSeries } from '@/lib/official/public';
import type { PublicFilters, ParsedFilters } from '@/lib/publishing/filters';
import type { PublicationPage, PublicReport, PublicStats, listFilterOptions, listReferenceNames } from '@/lib/publishing/public-queries';

/** The content of one public page. */
export type PublicPageContent =
  | { kind: 'front' }
  | {
      kind: 'reports';
      /** The query as parsed (filters and their errors). */
      parsed: ParsedFilters;
      /** The raw query values, to show a refused date again as typed. */
      typed: Record<string, string | undefined>;
      page: PublicationPage;
      options: ReturnType<typeof listFilterOptions>;
      /** The filters without the cursor, as a query string ('' or '?…'). */
      selectionQuery: string;
      /** The query of the next (older) page, or null. */
      olderQuery: string | null;
      filters: PublicFilters;
      /** Every matching publication at its published place (lib/map), not only this page's. */
      map: BorderMapModel;
    }
  | {
      kind: 'report';
      report: Extract<PublicReport, { status: 'published' }>;
      /** The report's published (coarsened) place alone. */
      map: BorderMapModel;
    }
  | { kind: 'retracted'; report: Extract<PublicReport, { status: 'retracted' }> }
  | {
      kind: 'stats';
      /** The /reports filters (issue 20 item 5): refused ones show their reasons and no figures. */
      parsed: ParsedFilters;
      /** The raw `from`/`to` values, to show a refused date again as typed. */
      typed: Record<string, string | undefined>;
      options: ReturnType<typeof listFilterOptions>;
      /** The filters as a query string ('' or '?…'). */
      selectionQuery: string;
      stats: PublicStats;
      /** Matching publications counted per province (lib/map/border-map.ts countsByProvince). */
      map: BorderMapModel;
      names: ReturnType<typeof listReferenceNames>;
      maxWeeks: number;
      /** Official monthly trade beside what partners saw (issue 21, stats/official-trade.tsx). */
      official: { series: ReturnType<typeof getPublicOfficialSeries>; observed: ReturnType<typeof getObservedPerMonth> };
    }
  | { kind: 'not-found' };

/** Everything render.tsx needs for one page. */
export type PublicPageInput = {
  locale: Locale;
  /** The catalogues of the locale (all namespaces; `common`, `public`, `official` and `map` are used). */
  messages: Record<string, Record<string, unknown>>;
  /** The page's path (no query), e.g. '/reports'. */
  path: string;
  /** The page's query without `lang`, as URLSearchParams text ('' or 'a=1&b=2'). */
  query: string;
  content: PublicPageContent;
};
