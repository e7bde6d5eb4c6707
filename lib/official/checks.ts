/**
 * The consistency rules of official monthly figures (issue 21 item 2; docs/official-trade.md
 * "Checks"). Pure and exact: values are compared in micro-dollars as integers (decimal.ts), and
 * the only tolerance is what rounding the figures as written can explain — each figure may be off
 * by half a unit in its last written place. So "217.158" may stand for anything from 217.1575 to
 * 217.1585, and "−92" % for −92.5 % to −91.5 %.
 *
 * A month (of one reporting authority) is checked as a whole:
 * - sum_of_parts: with the total and every part (TOTAL_PARTS) present, |total − Σ parts| must be at
 *   most half a last-place unit of each of the three figures added up;
 * - part_within_total: a part may exceed the total by at most half a last-place unit of each of
 *   the two;
 * - year_on_year (per flow that states a change): the stated change, give or take its rounding,
 *   must be reachable from this figure and the stored figure of the same flow twelve months before,
 *   each give or take its rounding. Not checked when last year's figure is not stored, or could be
 *   zero.
 * A month with any inconsistent check is stored but flagged: left out of public charts and exports
 * until re-imported or confirmed by an admin with a note (store.ts).
 */
import { decimalToNumber, parseDecimal, toMicroDollars, type Decimal } from './decimal';
import { monthYearBefore, TOTAL_PARTS, type OfficialAuthority, type OfficialFlow, type OfficialUnit } from './format';

/** A figure as the checks need it (stored, or about to be). */
export type CheckedFigure = {
  authority: OfficialAuthority;
  month: string;
  flow: OfficialFlow;
  value: string;
  unit: OfficialUnit;
  yoyChangePct: string | null;
};

export type CheckRule = 'sum_of_parts' | 'part_within_total' | 'year_on_year';
export type CheckStatus = 'ok' | 'inconsistent' | 'not_checked';

/**
 * What one rule says of a month. Amounts are millions of US dollars as text (exact: 12 decimals
 * at most, trailing zeros cut), percentages to 2 decimals.
 */
export type CheckResult =
  | { rule: 'sum_of_parts'; status: 'not_checked'; missing: OfficialFlow[] }
  | { rule: 'sum_of_parts'; status: 'ok' | 'inconsistent'; total: string; sumOfParts: string; difference: string; tolerance: string }
  | { rule: 'part_within_total'; flow: OfficialFlow; status: 'not_checked' }
  | { rule: 'part_within_total'; flow: OfficialFlow; status: 'ok' | 'inconsistent'; part: string; total: string; tolerance: string }
  | { rule: 'year_on_year'; flow: OfficialFlow; status: 'not_checked'; reason: 'no_figure_last_year' | 'last_year_zero'; lastYearMonth: string }
  | { rule: 'year_on_year'; flow: OfficialFlow; status: 'ok' | 'inconsistent'; stated: string; computed: string; lastYearMonth: string; lastYearValue: string };

/** A month's checks: every rule's result, and whether any found an inconsistency. */
export type MonthCheck = { authority: OfficialAuthority; month: string; isConsistent: boolean; results: CheckResult[] };

type Amount = { amount: bigint; ulp: bigint };

function amountOf(figure: CheckedFigure): Amount {
  const parsed = parseDecimal(figure.value);
  if (!parsed.ok) throw new Error(`Stored official value is not a decimal (${figure.authority} ${figure.month} ${figure.flow})`);
  return toMicroDollars(parsed.value, figure.unit);
}

const abs = (n: bigint) => (n < 0n ? -n : n);

/** Micro-dollars as millions of US dollars in text, exact ("12.955", "0.0005"). */
export function millionsText(microDollars: bigint): string {
  const negative = microDollars < 0n;
  const digits = abs(microDollars).toString().padStart(13, '0');
  const whole = digits.slice(0, -12);
  const fraction = digits.slice(-12).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Figures keyed by authority, month and flow, for looking up a month and the one a year before. */
export type FigureIndex = Map<string, CheckedFigure>;

const keyOf = (authority: string, month: string, flow: string) => `${authority}|${month}|${flow}`;

/** Index figures (a later figure for the same key wins: pass stored figures, then the file's). */
export function indexFigures(figures: Iterable<CheckedFigure>): FigureIndex {
  const index: FigureIndex = new Map();
  for (const figure of figures) index.set(keyOf(figure.authority, figure.month, figure.flow), figure);
  return index;
}

/** Check one month of one authority against the figures in `index` (its own and last year's). */
export function checkMonth(index: FigureIndex, authority: OfficialAuthority, month: string): MonthCheck {
  const figureOf = (m: string, flow: OfficialFlow) => index.get(keyOf(authority, m, flow));
  const results: CheckResult[] = [];
  const total = figureOf(month, 'total');
  const totalAmount = total ? amountOf(total) : null;
  const parts = TOTAL_PARTS.map((flow) => ({ flow, figure: figureOf(month, flow) }));

  const missing = [...(total ? [] : (['total'] as OfficialFlow[])), ...parts.filter((p) => !p.figure).map((p) => p.flow)];
  if (missing.length > 0 || !totalAmount) results.push({ rule: 'sum_of_parts', status: 'not_checked', missing });
  else {
    const partAmounts = parts.map((p) => amountOf(p.figure!));
    const sum = partAmounts.reduce((s, a) => s + a.amount, 0n);
    const ulps = partAmounts.reduce((s, a) => s + a.ulp, totalAmount.ulp);
    const difference = totalAmount.amount - sum;
    results.push({
      rule: 'sum_of_parts',
      status: 2n * abs(difference) <= ulps ? 'ok' : 'inconsistent',
      total: millionsText(totalAmount.amount),
      sumOfParts: millionsText(sum),
      difference: millionsText(difference),
      tolerance: millionsText(ulps / 2n),
    });
  }

  for (const { flow, figure } of parts) {
    if (!figure) continue;
    if (!totalAmount) {
      results.push({ rule: 'part_within_total', flow, status: 'not_checked' });
      continue;
    }
    const part = amountOf(figure);
    const ulps = part.ulp + totalAmount.ulp;
    results.push({
      rule: 'part_within_total',
      flow,
      status: 2n * (part.amount - totalAmount.amount) <= ulps ? 'ok' : 'inconsistent',
      part: millionsText(part.amount),
      total: millionsText(totalAmount.amount),
      tolerance: millionsText(ulps / 2n),
    });
  }

  const lastYearMonth = monthYearBefore(month);
  for (const flow of [...TOTAL_PARTS, 'total' as const]) {
    const figure = figureOf(month, flow);
    if (!figure || figure.yoyChangePct === null) continue;
    const last = figureOf(lastYearMonth, flow);
    if (!last) {
      results.push({ rule: 'year_on_year', flow, status: 'not_checked', reason: 'no_figure_last_year', lastYearMonth });
      continue;
    }
    results.push(checkYearOnYear(flow, amountOf(figure), amountOf(last), figure.yoyChangePct, lastYearMonth));
  }
  return { authority, month, isConsistent: results.every((r) => r.status !== 'inconsistent'), results };
}

/**
 * The year-on-year rule, exactly: with V = 2·value, L = 2·last year's value and E1, E2 their
 * last-place units (so V ± E1 and L ± E2 bound twice the true values), and the stated change
 * s = S / 10^d % (true change within s ± ½·10^−d %), the ratio now / last year lies in
 * [(V − E1)/(L + E2), (V + E1)/(L − E2)] and must meet [1 + (s − ½·10^−d)/100, 1 + (s + ½·10^−d)/100].
 * Multiplied out with D = 200·10^d so every term is an integer.
 */
function checkYearOnYear(flow: OfficialFlow, now: Amount, last: Amount, statedText: string, lastYearMonth: string): CheckResult {
  const V = 2n * now.amount;
  const E1 = now.ulp;
  const L = 2n * last.amount;
  const E2 = last.ulp;
  if (L - E2 <= 0n) return { rule: 'year_on_year', flow, status: 'not_checked', reason: 'last_year_zero', lastYearMonth };
  const parsed = parseDecimal(statedText);
  if (!parsed.ok) throw new Error('Stored year-on-year change is not a decimal');
  const stated: Decimal = parsed.value;
  const D = 200n * 10n ** BigInt(stated.decimals);
  const rLow = D + 2n * stated.digits - 1n;
  const rHigh = D + 2n * stated.digits + 1n;
  const isConsistent = (V - E1) * D <= rHigh * (L + E2) && (V + E1) * D >= rLow * (L - E2);
  const computed = (Number(now.amount) / Number(last.amount) - 1) * 100;
  return {
    rule: 'year_on_year',
    flow,
    status: isConsistent ? 'ok' : 'inconsistent',
    stated: String(decimalToNumber(stated)),
    computed: computed.toFixed(2),
    lastYearMonth,
    lastYearValue: millionsText(last.amount),
  };
}

const FLOW_SHORT: Record<OfficialFlow, string> = {
  exports_from_kp_to_cn: 'exports to China',
  imports_to_kp_from_cn: 'imports from China',
  total: 'total',
};

/** What a check found, in one English sentence for the admin (amounts in million USD). */
export function describeCheck(result: CheckResult): string {
  switch (result.rule) {
    case 'sum_of_parts':
      if (result.status === 'not_checked') return `Total = sum of parts: not checked (no ${result.missing.map((f) => FLOW_SHORT[f]).join(' or ')} for this month).`;
      return result.status === 'ok'
        ? `Total = sum of parts: ${result.total} against ${result.sumOfParts} (difference ${result.difference}, within rounding ±${result.tolerance}).`
        : `Total ≠ sum of parts: the total is ${result.total} but the parts add up to ${result.sumOfParts} (difference ${result.difference}; rounding explains at most ±${result.tolerance}).`;
    case 'part_within_total':
      if (result.status === 'not_checked') return `Part within total (${FLOW_SHORT[result.flow]}): not checked (no total for this month).`;
      return result.status === 'ok'
        ? `Part within total (${FLOW_SHORT[result.flow]}): ${result.part} ≤ ${result.total}.`
        : `A part is larger than its total: ${FLOW_SHORT[result.flow]} ${result.part} > total ${result.total} (rounding explains at most ${result.tolerance}).`;
    case 'year_on_year':
      if (result.status === 'not_checked') {
        return result.reason === 'no_figure_last_year'
          ? `Year on year (${FLOW_SHORT[result.flow]}): not checked (no figure stored for ${result.lastYearMonth}).`
          : `Year on year (${FLOW_SHORT[result.flow]}): not checked (the figure for ${result.lastYearMonth} is zero).`;
      }
      return result.status === 'ok'
        ? `Year on year (${FLOW_SHORT[result.flow]}): stated ${result.stated} %, computed ${result.computed} % from ${result.lastYearMonth} (${result.lastYearValue}).`
        : `Year-on-year change does not match: ${FLOW_SHORT[result.flow]} states ${result.stated} %, but against ${result.lastYearMonth} (${result.lastYearValue}) it is ${result.computed} %, beyond rounding.`;
  }
}
