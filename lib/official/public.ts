import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { publications, publishedGoods, publishedVehicles } from '@/db/schema';
import { memoizePublic } from '@/lib/publishing/public-cache';
import { microDollarsToMillions, parseDecimal, toMicroDollars } from './decimal';
import { AUTHORITY_NAMES, OFFICIAL_FLOWS, type OfficialAuthority, type OfficialFlow, type OfficialUnit } from './format';
import { chartedMonths, currentFigures } from './store';

/**
 * Official figures for the public (issue 21 items 3 and 4): only months whose checks pass or that
 * an admin confirmed with a note (store.ts) — a flagged month is never charted or exported — and
 * the observations of published reports per month beside them. Public data only; memoized until
 * the next change (lib/publishing/public-cache.ts).
 */

/** One public figure: as imported (decimal text and unit) and in million US dollars for charts. */
export type PublicOfficialFigure = {
  value: string;
  unit: OfficialUnit;
  /** Million US dollars (a float, for drawing; `value` + `unit` are the exact figure). */
  millions: number;
  yoyChangePct: string | null;
  sourceName: string;
  sourceUrl: string | null;
  revision: number;
};

/** One public month of one authority. `note`: the admin's note when it was confirmed despite a failed check. */
export type PublicOfficialMonth = {
  authority: OfficialAuthority;
  authorityName: { en: string; ko: string };
  month: string;
  status: 'consistent' | 'confirmed';
  note: string | null;
  figures: Partial<Record<OfficialFlow, PublicOfficialFigure>>;
};

/** The public series, oldest month first, and how many months are left out as flagged. */
export type PublicOfficialSeries = { months: PublicOfficialMonth[]; leftOut: number };

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

/** Observations of published reports in one month: vehicles counted, goods rows. */
export type ObservedMonth = { month: string; vehicles: number; goodsRows: number };

/**
 * The month a publication counts in: the month its published (coarsened) period starts, on the
 * local clock of the report's zone — `startLocal` of the snapshot ('2018-07-12T00:00+09:00'),
 * else the UTC month of `period_start`.
 */
const PUBLICATION_MONTH = sql<string>`coalesce(substr(json_extract(${publications.snapshot}, '$.period.startLocal'), 1, 7), strftime('%Y-%m', ${publications.periodStart} / 1000, 'unixepoch'))`;

/**
 * Vehicles seen and goods rows per month in published reports (retracted ones never count),
 * oldest first, months without either left out. `publicationIds`: when given, only these
 * publications (the /stats filters narrow the set; lib/publishing decides which match).
 */
export function getObservedPerMonth({ publicationIds }: { publicationIds?: readonly number[] } = {}): ObservedMonth[] {
  const compute = () => {
    const db = getDb();
    const isPublished = eq(publications.status, 'published');
    const only = publicationIds ? sql`${publications.id} IN (SELECT value FROM json_each(${JSON.stringify(publicationIds)}))` : undefined;
    const vehicles = db
      .select({ month: PUBLICATION_MONTH, n: sql<number>`sum(${publishedVehicles.count})` })
      .from(publishedVehicles)
      .innerJoin(publications, eq(publications.id, publishedVehicles.publicationId))
      .where(only ? and(isPublished, only) : isPublished)
      .groupBy(PUBLICATION_MONTH)
      .all();
    const goods = db
      .select({ month: PUBLICATION_MONTH, n: sql<number>`count(*)` })
      .from(publishedGoods)
      .innerJoin(publications, eq(publications.id, publishedGoods.publicationId))
      .where(only ? and(isPublished, only) : isPublished)
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
  return publicationIds ? compute() : memoizePublic('observed-per-month', compute);
}

/** A month of the side-by-side table: official figures (per flow, when public) and observations. */
export type SideBySideMonth = { month: string; official: PublicOfficialMonth['figures']; observed: { vehicles: number; goodsRows: number } };

/**
 * Official figures and observations on one time axis: every month from the first to the last
 * with either, gaps included (so the axis never hides a missing month). One authority's figures a
 * month (the list has one today; with more, the first in the list).
 */
export function sideBySide(series: PublicOfficialSeries, observed: readonly ObservedMonth[]): SideBySideMonth[] {
  const official = new Map<string, PublicOfficialMonth['figures']>();
  for (const m of series.months) if (!official.has(m.month)) official.set(m.month, m.figures);
  const observedBy = new Map(observed.map((o) => [o.month, o]));
  const all = [...official.keys(), ...observedBy.keys()].sort();
  if (all.length === 0) return [];
  const months: SideBySideMonth[] = [];
  for (let month = all[0]!; month <= all.at(-1)!; month = nextMonth(month)) {
    const o = observedBy.get(month);
    months.push({ month, official: official.get(month) ?? {}, observed: { vehicles: o?.vehicles ?? 0, goodsRows: o?.goodsRows ?? 0 } });
  }
  return months;
}

/** 'YYYY-MM' of the month after. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${month.slice(0, 5)}${String(m + 1).padStart(2, '0')}`;
}

export { OFFICIAL_FLOWS };
