/**
 * Public filters and pagination cursors for /reports and the exports, parsed from the query
 * string. Pure. Source: issue 5 ("filters: place, date range, vehicle type, goods category,
 * agency; pagination"; "junk values → an empty result or a 400, never a 500").
 *
 * Rules:
 * - every parameter at most once; an empty value means "not set"; unknown parameters are ignored
 *   (so `?page=999999999999` is harmless: pagination is by cursor);
 * - `place`, `category`, `agency`: reference-list ids; an id that is not in the list is not an
 *   error, it just matches nothing (an empty result);
 * - `from`, `to`: calendar dates 'YYYY-MM-DD', read in Korea time (Asia/Pyongyang, the reference
 *   case) — a report matches when its public period overlaps [from 00:00, to 24:00);
 * - `vehicle`: one of VEHICLE_TYPES;
 * - `cursor`: opaque, from a previous page's "next" link.
 * Anything else (repeated parameters, impossible dates, a reversed range, an unknown vehicle type,
 * a malformed cursor, over-long values) is refused with message keys (`public.filters.errors.*`).
 */
import { Temporal } from 'temporal-polyfill';
import { VEHICLE_TYPES, type VehicleType } from '@/db/enums';

/** Time zone in which the public date filters are read. */
export const FILTER_TIME_ZONE = 'Asia/Pyongyang';

/** A position in a list ordered by publication time, newest first (`publishedAt` UTC ms). */
export type PublicCursor = { publishedAt: number; publicId: string };

export type PublicFilters = {
  place: string | null;
  category: string | null;
  agency: string | null;
  vehicle: VehicleType | null;
  /** 'YYYY-MM-DD' as given, and the instant it starts (UTC ms). */
  from: { date: string; start: number } | null;
  /** 'YYYY-MM-DD' as given, and the instant the day after it starts (UTC ms, exclusive). */
  to: { date: string; end: number } | null;
  cursor: PublicCursor | null;
};

export const EMPTY_FILTERS: PublicFilters = {
  place: null,
  category: null,
  agency: null,
  vehicle: null,
  from: null,
  to: null,
  cursor: null,
};

/** i18n key of the `public` namespace. */
export type PublicMessageKey = `public.${string}`;

export type ParsedFilters =
  | { ok: true; filters: PublicFilters }
  | { ok: false; message: PublicMessageKey; fieldErrors: Record<string, PublicMessageKey>; filters: PublicFilters };

/** Query-string input: URLSearchParams (route handlers) or Next's searchParams object (pages). */
export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

type FilterName = 'place' | 'category' | 'agency' | 'vehicle' | 'from' | 'to' | 'cursor';

function valuesOf(input: QueryInput, name: string): string[] {
  if (input instanceof URLSearchParams) return input.getAll(name);
  const value = input[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** 'YYYY-MM-DD' → the local day [start, end) in FILTER_TIME_ZONE as UTC ms, or null if not a real date. */
export function parseFilterDate(value: string): { start: number; end: number } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    return null;
  }
  if (date.year < 1900 || date.year > 2200) return null;
  const start = date.toZonedDateTime({ timeZone: FILTER_TIME_ZONE }).epochMilliseconds;
  const end = date.add({ days: 1 }).toZonedDateTime({ timeZone: FILTER_TIME_ZONE }).epochMilliseconds;
  return { start, end };
}

/** Encode a cursor for a "next page" link. */
export function encodeCursor(cursor: PublicCursor): string {
  return `${cursor.publishedAt.toString(36)}.${cursor.publicId}`;
}

/** Decode a cursor made by `encodeCursor`, or null if it is not one. */
export function decodeCursor(value: string): PublicCursor | null {
  const match = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{16})$/.exec(value);
  if (!match) return null;
  const publishedAt = parseInt(match[1]!, 36);
  if (!Number.isSafeInteger(publishedAt) || publishedAt < 0) return null;
  return { publishedAt, publicId: match[2]! };
}

/**
 * Parse the public filters. On refusal the result still carries the filters that were valid (for
 * showing the form again), but callers must show no results (or answer 400).
 */
export function parsePublicFilters(input: QueryInput): ParsedFilters {
  const filters: PublicFilters = { ...EMPTY_FILTERS };
  const fieldErrors: Record<string, PublicMessageKey> = {};
  const single = (name: FilterName): string | null => {
    const values = valuesOf(input, name);
    if (values.length > 1) {
      fieldErrors[name] = 'public.filters.errors.repeated';
      return null;
    }
    const value = (values[0] ?? '').trim();
    if (value.length > 100) {
      fieldErrors[name] = 'public.filters.errors.invalid';
      return null;
    }
    return value === '' ? null : value;
  };

  filters.place = single('place');
  filters.category = single('category');
  filters.agency = single('agency');

  const vehicle = single('vehicle');
  if (vehicle !== null) {
    const known = VEHICLE_TYPES.find((type) => type === vehicle);
    if (known) filters.vehicle = known;
    else fieldErrors.vehicle = 'public.filters.errors.vehicle';
  }

  const from = single('from');
  if (from !== null) {
    const day = parseFilterDate(from);
    if (day) filters.from = { date: from, start: day.start };
    else fieldErrors.from = 'public.filters.errors.date';
  }
  const to = single('to');
  if (to !== null) {
    const day = parseFilterDate(to);
    if (day) filters.to = { date: to, end: day.end };
    else fieldErrors.to = 'public.filters.errors.date';
  }
  if (filters.from && filters.to && filters.from.date > filters.to.date) {
    fieldErrors.to = 'public.filters.errors.range';
  }

  const cursor = single('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (decoded) filters.cursor = decoded;
    else fieldErrors.cursor = 'public.filters.errors.cursor';
  }

  if (Object.keys(fieldErrors).length > 0) {
    return { ok: false, message: 'public.filters.errors.summary', fieldErrors, filters };
  }
  return { ok: true, filters };
}

/**
 * The query string for these filters (without the cursor unless given), for links such as the
 * next page or the exports of the current selection. Empty filters give ''.
 */
export function filtersToQuery(filters: PublicFilters, cursor?: PublicCursor | null): string {
  const params = new URLSearchParams();
  if (filters.place) params.set('place', filters.place);
  if (filters.from) params.set('from', filters.from.date);
  if (filters.to) params.set('to', filters.to.date);
  if (filters.vehicle) params.set('vehicle', filters.vehicle);
  if (filters.category) params.set('category', filters.category);
  if (filters.agency) params.set('agency', filters.agency);
  if (cursor) params.set('cursor', encodeCursor(cursor));
  const query = params.toString();
  return query ? `?${query}` : '';
}
