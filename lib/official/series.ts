/**
 * The shapes of the public official series and the one time axis /stats draws it on (issue 21
 * item 3). Pure: shared by the data layer (public.ts), the exports (export.ts) and the /stats
 * component (app/_components/official-trade.tsx).
 */
import type { OfficialAuthority, OfficialFlow, OfficialUnit } from './format';

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

/** Observations of published reports in one month: vehicles seen crossing (CROSSING_DIRECTIONS), goods rows. */
export type ObservedMonth = { month: string; vehicles: number; goodsRows: number };

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


/** Each source of the public series with the months it gives ('2018-06, 2018-07'), in order of first month. */
export function sourcesOf(series: PublicOfficialSeries): { source: string; url: string | null; months: string }[] {
  const bySource = new Map<string, { source: string; url: string | null; months: Set<string> }>();
  for (const m of series.months) {
    for (const figure of Object.values(m.figures)) {
      if (!figure) continue;
      const key = `${figure.sourceName}\u0000${figure.sourceUrl ?? ''}`;
      let entry = bySource.get(key);
      if (!entry) bySource.set(key, (entry = { source: figure.sourceName, url: figure.sourceUrl, months: new Set() }));
      entry.months.add(m.month);
    }
  }
  return [...bySource.values()].map((e) => ({ source: e.source, url: e.url, months: [...e.months].join(', ') }));
}

/** Months of the public series published despite a failed check, with the admin's note. */
export function confirmedOf(series: PublicOfficialSeries): { month: string; note: string }[] {
  return series.months.filter((m) => m.status === 'confirmed' && m.note !== null).map((m) => ({ month: m.month, note: m.note! }));
}
