import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { EMPTY_FILTERS, filtersToQuery, type PublicFilters } from '@/lib/publishing/filters';
import { publicationSelection } from '@/lib/publishing/public-queries';
import { getDb } from '@/db/client';
import { officialTradeConfirmations, officialTradeFigures, officialTradeImports, publications, publishedGoods, publishedVehicles } from '@/db/schema';
import { memoizePublic } from '@/lib/publishing/public-cache';
import { microDollarsToMillions, parseDecimal, toMicroDollars } from './decimal';
import { AUTHORITY_NAMES } from './format';
import { type ObservedMonth, type PublicOfficialMonth, type PublicOfficialSeries } from './series';
import { chartedMonths, currentFigures } from './store';

/**
 * Official figures for the public (issue 21 items 3 and 4): only months whose checks pass or that
 * an admin confirmed with a note (store.ts) — a flagged month is never charted or exported — and
 * the observations of published reports per month beside them. Public data only; memoized until
 * the next change (lib/publishing/public-cache.ts).
 */

function computeSeries(): PublicOfficialSeries {
  const db = getDb();
  const charted = chartedMonths(db);
  const monthsWithFigures = new Set(currentFigures(db).map((f) => `${f.authority}|${f.month}`)).size;
  const months = charted
    .map((m): PublicOfficialMonth => {
      const figures: PublicOfficialMonth['figures'] = {};
      for (const f of m.figures) {
        const parsed = parseDecimal(f.value);
        if (!parsed.ok) continue;
        figures[f.flow] = {
          value: f.value,
          unit: f.unit,
          millions: microDollarsToMillions(toMicroDollars(parsed.value, f.unit).amount),
          yoyChangePct: f.yoyChangePct,
          sourceName: f.sourceName,
          sourceUrl: f.sourceUrl,
          revision: f.revision,
        };
      }
      return { authority: m.authority, authorityName: AUTHORITY_NAMES[m.authority], month: m.month, status: m.status === 'confirmed' ? 'confirmed' : 'consistent', note: m.confirmation?.note ?? null, figures };
    })
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.authority < b.authority ? -1 : 1));
  return { months, leftOut: monthsWithFigures - charted.length };
}

/** The official series the public may see (see PublicOfficialSeries). */
export function getPublicOfficialSeries(): PublicOfficialSeries {
  return memoizePublic('official-series', computeSeries);
}

/**
 * The time of the last change to what the public sees of the official figures, in milliseconds
 * since the epoch (0 when none was ever stored): the newest stored import, figure revision,
 * replaced figure or admin confirmation. `Last-Modified` of the official-trade exports and, with
 * the publications' own, of /stats (issue 20 item 2). Memoized until the next change.
 */
export function lastOfficialChangeAt(): number {
  return memoizePublic('lastOfficialChangeAt', () => {
    const db = getDb();
    const newest = (value: number | null | undefined) => Number(value ?? 0);
    const imports = db.select({ at: sql<number | null>`max(${officialTradeImports.storedAt})` }).from(officialTradeImports).get();
    const figures = db
      .select({ created: sql<number | null>`max(${officialTradeFigures.createdAt})`, replaced: sql<number | null>`max(${officialTradeFigures.replacedAt})` })
      .from(officialTradeFigures)
      .get();
    const confirmations = db.select({ at: sql<number | null>`max(${officialTradeConfirmations.createdAt})` }).from(officialTradeConfirmations).get();
    return Math.max(newest(imports?.at), newest(figures?.created), newest(figures?.replaced), newest(confirmations?.at));
  });
}

/** Vehicle rows that count as crossings: into or out of North Korea (not 'within', not 'unknown'). */
export const CROSSING_DIRECTIONS = ['into_kp', 'out_of_kp'] as const;

/**
 * The month a publication counts in: the month its published (coarsened) period starts, on the
 * local clock of the report's zone — `startLocal` of the snapshot ('2018-07-12T00:00+09:00'),
 * else the UTC month of `period_start`.
 */
const PUBLICATION_MONTH = sql<string>`coalesce(substr(json_extract(${publications.snapshot}, '$.period.startLocal'), 1, 7), strftime('%Y-%m', ${publications.periodStart} / 1000, 'unixepoch'))`;

/**
 * Vehicles seen crossing and goods rows per month in published reports (retracted ones never count),
 * oldest first, months without either left out, over the publications the public `filters` select
 * (the same selection as /reports and the rest of /stats; default: all). Unfiltered answers are
 * memoized until the next change.
 */
export function getObservedPerMonth({ filters = EMPTY_FILTERS }: { filters?: PublicFilters } = {}): ObservedMonth[] {
  const compute = (): ObservedMonth[] => {
    const db = getDb();
    const selected = publicationSelection(filters);
    if (!selected) return [];
    const vehicles = db
      .select({ month: PUBLICATION_MONTH, n: sql<number>`sum(${publishedVehicles.count})` })
      .from(publishedVehicles)
      .innerJoin(publications, eq(publications.id, publishedVehicles.publicationId))
      .where(and(selected, inArray(publishedVehicles.direction, CROSSING_DIRECTIONS)))
      .groupBy(PUBLICATION_MONTH)
      .all();
    const goods = db
      .select({ month: PUBLICATION_MONTH, n: sql<number>`count(*)` })
      .from(publishedGoods)
      .innerJoin(publications, eq(publications.id, publishedGoods.publicationId))
      .where(selected)
      .groupBy(PUBLICATION_MONTH)
      .all();
    const byMonth = new Map<string, ObservedMonth>();
    const entry = (month: string) => {
      let found = byMonth.get(month);
      if (!found) byMonth.set(month, (found = { month, vehicles: 0, goodsRows: 0 }));
      return found;
    };
    for (const row of vehicles) entry(row.month).vehicles += Number(row.n);
    for (const row of goods) entry(row.month).goodsRows += Number(row.n);
    return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
  };
  return filtersToQuery({ ...filters, cursor: null }) === '' ? memoizePublic('observed-per-month', compute) : compute();
}

