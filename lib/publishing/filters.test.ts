import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, filtersToQuery, parseFilterDate, parsePublicFilters } from './filters';

describe('parsePublicFilters', () => {
  it('reads every filter from a query string', () => {
    const parsed = parsePublicFilters(
      new URLSearchParams('place=kp-yanggang&from=2018-07-01&to=2018-07-31&vehicle=truck&category=lumber&agency=police'),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.filters).toMatchObject({
      place: 'kp-yanggang',
      vehicle: 'truck',
      category: 'lumber',
      agency: 'police',
      from: { date: '2018-07-01', start: Date.UTC(2018, 5, 30, 15) },
      to: { date: '2018-07-31', end: Date.UTC(2018, 6, 31, 15) },
      cursor: null,
    });
  });

  it('treats empty values as not set and ignores unknown parameters such as huge page numbers', () => {
    const parsed = parsePublicFilters({ place: '', from: '', page: '99999999999999999999', sort: ['x', 'y'] });
    expect(parsed).toEqual({
      ok: true,
      filters: { place: null, category: null, agency: null, vehicle: null, from: null, to: null, cursor: null },
    });
  });

  it('refuses junk with a message per field', () => {
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ from: '2018-02-30' }, 'from', 'public.filters.errors.date'],
      [{ from: 'yesterday' }, 'from', 'public.filters.errors.date'],
      [{ to: '99999-01-01' }, 'to', 'public.filters.errors.date'],
      [{ to: '0001-01-01' }, 'to', 'public.filters.errors.date'],
      [{ from: '2018-08-01', to: '2018-07-01' }, 'to', 'public.filters.errors.range'],
      [{ vehicle: 'spaceship' }, 'vehicle', 'public.filters.errors.vehicle'],
      [{ place: ['kp-yanggang', 'kp-chagang'] }, 'place', 'public.filters.errors.repeated'],
      [{ cursor: 'not-a-cursor' }, 'cursor', 'public.filters.errors.cursor'],
      [{ agency: 'x'.repeat(500) }, 'agency', 'public.filters.errors.invalid'],
    ];
    for (const [input, field, key] of cases) {
      const parsed = parsePublicFilters(input);
      expect(parsed.ok, JSON.stringify(input)).toBe(false);
      if (!parsed.ok) expect(parsed.fieldErrors[field]).toBe(key);
    }
  });

  it('keeps unknown ids as filters (they match nothing) rather than refusing them', () => {
    const parsed = parsePublicFilters({ place: 'atlantis', category: "'; DROP TABLE reports; --" });
    expect(parsed.ok && parsed.filters.place).toBe('atlantis');
  });
});

describe('dates and cursors', () => {
  it('reads filter dates as whole days in Pyongyang time, including the UTC+8:30 years', () => {
    expect(parseFilterDate('2018-07-12')).toEqual({ start: Date.UTC(2018, 6, 11, 15), end: Date.UTC(2018, 6, 12, 15) });
    expect(parseFilterDate('2016-01-01')).toEqual({ start: Date.UTC(2015, 11, 31, 15, 30), end: Date.UTC(2016, 0, 1, 15, 30) });
  });

  it('round-trips a cursor and refuses tampered ones', () => {
    const cursor = { publishedAt: 1_531_000_000_000, publicId: 'Ab_-0123456789xY' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const junk of ['', '.', 'zzzzzzzzzzzz.Ab_-0123456789xY', 'abc.short', 'abc.Ab_-0123456789xY.extra']) {
      expect(decodeCursor(junk)).toBeNull();
    }
  });

  it('writes filters back as a query string', () => {
    const parsed = parsePublicFilters({ place: 'kp-yanggang', to: '2018-07-31' });
    if (!parsed.ok) throw new Error('refused');
    expect(filtersToQuery(parsed.filters)).toBe('?place=kp-yanggang&to=2018-07-31');
    expect(filtersToQuery(parsed.filters, { publishedAt: 35, publicId: 'AAAAAAAAAAAAAAAA' })).toBe(
      '?place=kp-yanggang&to=2018-07-31&cursor=z.AAAAAAAAAAAAAAAA',
    );
  });
});
