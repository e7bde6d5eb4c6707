import { describe, expect, it } from 'vitest';
import { type ReportFormValues } from './form-values';
import { demoReportValues } from '@/lib/testing/reports';
import { parseReportForSubmit } from './validate';

const NOW = Date.UTC(2026, 0, 15, 12, 0);

function values(overrides: Partial<ReportFormValues> = {}): ReportFormValues {
  return { ...demoReportValues(0), ...overrides };
}

function refusal(input: unknown, now = NOW) {
  const result = parseReportForSubmit(input, now);
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('parseReportForSubmit', () => {
  it('accepts the first demo report with UTC instants from the Pyongyang wall clock (UTC+9 in July 2018)', () => {
    const result = parseReportForSubmit(values(), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data.observedFrom).toBe(Date.UTC(2018, 6, 12, 10, 30));
    expect(result.data.observedTo).toBe(Date.UTC(2018, 6, 12, 19, 30));
    expect(result.data.timeZone).toBe('Asia/Pyongyang');
    expect(result.data.vehicles).toHaveLength(4);
    expect(result.data.goods).toHaveLength(4);
    expect(result.data).not.toHaveProperty('observedFromChoice');
  });

  it('accepts every demo report that uses the product’s place precisions', () => {
    for (const index of [0, 2, 3]) {
      expect(parseReportForSubmit(demoReportValues(index), NOW).ok).toBe(true);
    }
  });

  it("refuses the second demo report's place precision 'city' (not one of docs/product.md's four)", () => {
    expect(refusal(demoReportValues(1)).fieldErrors).toEqual({ placePrecision: ['report.errors.placePrecisionInvalid'] });
  });

  it('uses UTC+8:30 for 2017 and UTC+9 for July 2018 in Pyongyang', () => {
    const r2017 = parseReportForSubmit(values({ observedFrom: '2017-07-10T22:00', observedTo: '2017-07-10T22:00' }), NOW);
    const r2018 = parseReportForSubmit(values({ observedFrom: '2018-07-10T22:00', observedTo: '2018-07-10T22:00' }), NOW);
    expect(r2017.ok && r2017.data.observedFrom).toBe(Date.UTC(2017, 6, 10, 13, 30));
    expect(r2018.ok && r2018.data.observedFrom).toBe(Date.UTC(2018, 6, 10, 13, 0));
  });

  it('stores different instants for the same wall clock in Shanghai and Pyongyang', () => {
    const shanghai = parseReportForSubmit(values({ timeZone: 'Asia/Shanghai' }), NOW);
    const pyongyang = parseReportForSubmit(values({ timeZone: 'Asia/Pyongyang' }), NOW);
    if (!shanghai.ok || !pyongyang.ok) throw new Error('expected both to pass');
    expect(shanghai.data.observedFrom - pyongyang.data.observedFrom).toBe(60 * 60 * 1000);
  });

  it('refuses a time that never existed (the 2018 gap), beside its field', () => {
    const result = refusal(values({ observedFrom: '2018-05-04T23:45', observedTo: '2018-05-05T01:00' }));
    expect(result.fieldErrors).toEqual({ observedFrom: ['report.errors.timeInGap'] });
    expect(result.message).toBe('report.errors.fixFields');
  });

  it('asks which occurrence of a repeated time (the 2015 overlap) is meant, offering both', () => {
    const result = refusal(values({ observedFrom: '2015-08-14T23:45', observedTo: '2015-08-15T01:00' }));
    expect(result.fieldErrors).toEqual({ observedFrom: ['report.errors.timeAmbiguous'] });
    expect(result.timeOptions.observedFrom).toEqual({
      earlier: { instantMs: Date.UTC(2015, 7, 14, 14, 45), offsetLabel: 'UTC+9' },
      later: { instantMs: Date.UTC(2015, 7, 14, 15, 15), offsetLabel: 'UTC+8:30' },
    });
    expect(result.timeOptions.observedTo).toBeUndefined();
  });

  it('takes the chosen occurrence of a repeated time', () => {
    for (const [choice, expected] of [
      ['earlier', Date.UTC(2015, 7, 14, 14, 45)],
      ['later', Date.UTC(2015, 7, 14, 15, 15)],
    ] as const) {
      const result = parseReportForSubmit(
        values({ observedFrom: '2015-08-14T23:45', observedFromChoice: choice, observedTo: '2015-08-15T01:00' }),
        NOW,
      );
      expect(result.ok && result.data.observedFrom).toBe(expected);
    }
  });

  it('judges `to` ≥ `from` on real instants, not on the local clock', () => {
    // 23:50 (second time, 15:20 UTC) to 23:55 (first time, 14:55 UTC): later on the clock, earlier in fact.
    const backwards = refusal(
      values({
        observedFrom: '2015-08-14T23:50',
        observedFromChoice: 'later',
        observedTo: '2015-08-14T23:55',
        observedToChoice: 'earlier',
      }),
    );
    expect(backwards.fieldErrors).toEqual({ observedTo: ['report.errors.toBeforeFrom'] });
    // 23:45 (first, 14:45 UTC) to 23:35 (second, 15:05 UTC): earlier on the clock, later in fact.
    const forwards = parseReportForSubmit(
      values({
        observedFrom: '2015-08-14T23:45',
        observedFromChoice: 'earlier',
        observedTo: '2015-08-14T23:35',
        observedToChoice: 'later',
      }),
      NOW,
    );
    expect(forwards.ok).toBe(true);
  });

  it('refuses `to` before `from` once, beside `to`', () => {
    expect(refusal(values({ observedTo: '2018-07-12T19:00' })).fieldErrors).toEqual({
      observedTo: ['report.errors.toBeforeFrom'],
    });
  });

  it('refuses instants after `now`', () => {
    // The report ends at 19:30 UTC on 2018-07-12; one minute before that it is partly in the future.
    const result = refusal(values(), Date.UTC(2018, 6, 12, 19, 29));
    expect(result.fieldErrors).toEqual({ observedTo: ['report.errors.timeInFuture'] });
    expect(parseReportForSubmit(values(), Date.UTC(2018, 6, 12, 19, 30)).ok).toBe(true);
  });

  it('keeps every message: schema, time rules and form-wide refusals together', () => {
    const result = refusal({
      ...values({ title: 'a'.repeat(121), observedFrom: '2018-05-04T23:30', observedTo: '2030-01-01T00:00' }),
      status: 'published',
    });
    expect(result.formErrors).toEqual(['report.errors.fieldNotAllowed']);
    expect(result.message).toBe('report.errors.fieldNotAllowed');
    expect(result.fieldErrors).toEqual({
      title: ['report.errors.titleTooLong'],
      observedFrom: ['report.errors.timeInGap'],
      observedTo: ['report.errors.timeInFuture'],
    });
  });

  it('refuses garbage without throwing', () => {
    for (const input of [null, undefined, 'report', 42, [], { observedFrom: 7, timeZone: {} }]) {
      const result = refusal(input);
      expect(result.ok).toBe(false);
      for (const key of [...result.formErrors, ...Object.values(result.fieldErrors).flat()]) {
        expect(key).toMatch(/^report\.errors\./);
      }
    }
  });
});
