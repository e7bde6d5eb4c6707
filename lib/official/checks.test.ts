import { describe, expect, it } from 'vitest';
import { checkMonth, describeCheck, indexFigures, millionsText, type CheckedFigure, type CheckResult } from './checks';
import type { OfficialFlow } from './format';

const fig = (month: string, flow: OfficialFlow, value: string, yoyChangePct: string | null = null, unit: CheckedFigure['unit'] = 'usd_million'): CheckedFigure => ({
  authority: 'cn_customs',
  month,
  flow,
  value,
  unit,
  yoyChangePct,
});

const check = (figures: CheckedFigure[], month = '2019-06') => checkMonth(indexFigures(figures), 'cn_customs', month);
const ruleOf = (results: CheckResult[], rule: CheckResult['rule'], flow?: OfficialFlow) =>
  results.find((r) => r.rule === rule && (flow === undefined || ('flow' in r && r.flow === flow)));

describe('sum of parts', () => {
  it('passes a total equal to its parts', () => {
    const m = check([fig('2019-06', 'exports_from_kp_to_cn', '10.5'), fig('2019-06', 'imports_to_kp_from_cn', '200.25'), fig('2019-06', 'total', '210.75')]);
    expect(m.isConsistent).toBe(true);
    expect(ruleOf(m.results, 'sum_of_parts')).toMatchObject({ status: 'ok', difference: '0' });
  });

  it('flags the quoted June 2018 sample: the total is not the sum of its parts', () => {
    const m = check([fig('2018-06', 'exports_from_kp_to_cn', '12.955'), fig('2018-06', 'imports_to_kp_from_cn', '241.93'), fig('2018-06', 'total', '217.158')], '2018-06');
    expect(m.isConsistent).toBe(false);
    expect(ruleOf(m.results, 'sum_of_parts')).toMatchObject({ status: 'inconsistent', total: '217.158', sumOfParts: '254.885', difference: '-37.727' });
    expect(ruleOf(m.results, 'part_within_total', 'imports_to_kp_from_cn')).toMatchObject({ status: 'inconsistent' });
    expect(ruleOf(m.results, 'part_within_total', 'exports_from_kp_to_cn')).toMatchObject({ status: 'ok' });
  });

  it('allows exactly what rounding explains, and not one last-place unit more', () => {
    // "1" hides ±0.5, "2.0" and a total written to one decimal ±0.05 each: the parts may differ
    // from the total by up to 0.6 — and that edge itself is within.
    const at = (total: string) => check([fig('2019-06', 'exports_from_kp_to_cn', '1'), fig('2019-06', 'imports_to_kp_from_cn', '2.0'), fig('2019-06', 'total', total)]);
    expect(at('3.6').isConsistent).toBe(true);
    expect(at('2.4').isConsistent).toBe(true);
    expect(ruleOf(at('3.6').results, 'sum_of_parts')).toMatchObject({ status: 'ok', difference: '0.6', tolerance: '0.6' });
    expect(at('3.7').isConsistent).toBe(false);
    expect(at('2.3').isConsistent).toBe(false);
    // A total written finer hides less: 3.56 (±0.005) allows 0.555, so 3.56 is beyond.
    expect(at('3.55').isConsistent).toBe(true);
    expect(at('3.56').isConsistent).toBe(false);
  });

  it('compares across units exactly (thousand and million USD)', () => {
    const m = check([fig('2019-06', 'exports_from_kp_to_cn', '12955', null, 'usd_thousand'), fig('2019-06', 'imports_to_kp_from_cn', '241.93'), fig('2019-06', 'total', '254885000', null, 'usd')]);
    expect(ruleOf(m.results, 'sum_of_parts')).toMatchObject({ status: 'ok', total: '254.885', sumOfParts: '254.885' });
  });

  it('does not check a sum when a part or the total is missing, and says which', () => {
    const m = check([fig('2019-06', 'imports_to_kp_from_cn', '241.93'), fig('2019-06', 'total', '300')]);
    expect(ruleOf(m.results, 'sum_of_parts')).toEqual({ rule: 'sum_of_parts', status: 'not_checked', missing: ['exports_from_kp_to_cn'] });
    expect(m.isConsistent).toBe(true);
  });
});

describe('a part larger than its total', () => {
  it('flags a part above its total without the other part', () => {
    const m = check([fig('2019-06', 'imports_to_kp_from_cn', '241.93'), fig('2019-06', 'total', '217.158')]);
    expect(m.isConsistent).toBe(false);
    expect(ruleOf(m.results, 'part_within_total', 'imports_to_kp_from_cn')).toMatchObject({ status: 'inconsistent', part: '241.93', total: '217.158' });
    expect(describeCheck(ruleOf(m.results, 'part_within_total', 'imports_to_kp_from_cn')!)).toBe(
      'A part is larger than its total: imports from China 241.93 > total 217.158 (rounding explains at most 0.0055).',
    );
  });

  it('lets a part equal its total within rounding (the other flow nil)', () => {
    const m = check([fig('2019-06', 'imports_to_kp_from_cn', '217.16'), fig('2019-06', 'total', '217.155')]);
    expect(ruleOf(m.results, 'part_within_total', 'imports_to_kp_from_cn')).toMatchObject({ status: 'ok' });
    const over = check([fig('2019-06', 'imports_to_kp_from_cn', '217.161'), fig('2019-06', 'total', '217.155')]);
    expect(ruleOf(over.results, 'part_within_total', 'imports_to_kp_from_cn')).toMatchObject({ status: 'inconsistent' });
  });
});

describe('year on year', () => {
  const lastYear = fig('2018-06', 'exports_from_kp_to_cn', '200.0');

  it('passes a stated change that last year’s stored figure gives', () => {
    const m = check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-50.0')]);
    expect(ruleOf(m.results, 'year_on_year', 'exports_from_kp_to_cn')).toMatchObject({ status: 'ok', computed: '-50.00', lastYearMonth: '2018-06', lastYearValue: '200' });
  });

  it('flags a stated change that does not match last year’s stored figure', () => {
    const m = check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-40.0')]);
    expect(m.isConsistent).toBe(false);
    expect(describeCheck(ruleOf(m.results, 'year_on_year', 'exports_from_kp_to_cn')!)).toContain('states -40 %, but against 2018-06 (200) it is -50.00 %');
  });

  it('allows the rounding of the stated change and of both figures, not more', () => {
    // 100.0 / 200.0: the values may be 99.95–100.05 and 199.95–200.05, so the change is
    // −50.0375 % … −49.9625 %. "−50" (−50.5 … −49.5) meets it; so does "−50.04" (−50.045 … −50.035).
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-50')]).isConsistent).toBe(true);
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-50.04')]).isConsistent).toBe(true);
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-50.05')]).isConsistent).toBe(false);
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-49.96')]).isConsistent).toBe(true);
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '100.0', '-49.95')]).isConsistent).toBe(false);
  });

  it('is not checked without last year’s figure, or when it is zero', () => {
    expect(ruleOf(check([fig('2019-06', 'total', '10', '5')]).results, 'year_on_year', 'total')).toMatchObject({ status: 'not_checked', reason: 'no_figure_last_year' });
    expect(ruleOf(check([fig('2018-06', 'total', '0'), fig('2019-06', 'total', '10', '5')]).results, 'year_on_year', 'total')).toMatchObject({ status: 'not_checked', reason: 'last_year_zero' });
  });

  it('checks only the same authority, month and flow a year before', () => {
    const m = check([fig('2018-07', 'exports_from_kp_to_cn', '1'), fig('2018-06', 'total', '1'), fig('2019-06', 'exports_from_kp_to_cn', '100', '5')]);
    expect(ruleOf(m.results, 'year_on_year', 'exports_from_kp_to_cn')).toMatchObject({ status: 'not_checked' });
  });

  it('a −100 % change from a stored figure to zero is consistent', () => {
    expect(check([lastYear, fig('2019-06', 'exports_from_kp_to_cn', '0', '-100')]).isConsistent).toBe(true);
  });
});

describe('re-imports', () => {
  it('a later figure for the same key replaces the earlier one in the index (what the store checks)', () => {
    const stored = [fig('2019-06', 'exports_from_kp_to_cn', '10'), fig('2019-06', 'imports_to_kp_from_cn', '20'), fig('2019-06', 'total', '40')];
    expect(check(stored).isConsistent).toBe(false);
    expect(check([...stored, fig('2019-06', 'total', '30')]).isConsistent).toBe(true);
  });
});

describe('millionsText', () => {
  it('writes micro-dollars as exact millions', () => {
    expect(millionsText(12_955_000_000_000n)).toBe('12.955');
    expect(millionsText(-500_000_000n)).toBe('-0.0005');
    expect(millionsText(0n)).toBe('0');
  });
});
