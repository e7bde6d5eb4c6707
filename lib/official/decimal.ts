/**
 * Exact decimals for official figures: a value as written ("241.93") is kept as its digits and its
 * number of decimals, so sums and the rounding tolerance (checks.ts) are computed in integers —
 * never in floating point, where 0.1 + 0.2 ≠ 0.3 would move a check across its edge. Pure.
 */
import { OFFICIAL_LIMITS, UNIT_EXPONENT, type OfficialUnit } from './format';

/** A decimal number: `digits / 10^decimals` (digits may be negative). */
export type Decimal = { digits: bigint; decimals: number };

/** Why a text is not a number the format accepts. */
export type DecimalProblem = 'not_a_number' | 'thousands_separator' | 'too_many_decimals' | 'too_large';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Read a decimal written with a point and no thousands separators ("12.955", "-92", "+3.5").
 * @returns the decimal, or why not: a comma or space between digits ('thousands_separator'),
 *   anything else that is not digits ('not_a_number'), more than OFFICIAL_LIMITS.decimals digits
 *   after the point, more than OFFICIAL_LIMITS.integerDigits before it ('too_large')
 */
export function parseDecimal(text: string): { ok: true; value: Decimal } | { ok: false; problem: DecimalProblem } {
  const trimmed = text.trim();
  const match = DECIMAL.exec(trimmed);
  if (!match) {
    return { ok: false, problem: /^[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?$/.test(trimmed) ? 'thousands_separator' : 'not_a_number' };
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > OFFICIAL_LIMITS.decimals) return { ok: false, problem: 'too_many_decimals' };
  if (whole.replace(/^0+(?=\d)/, '').length > OFFICIAL_LIMITS.integerDigits) return { ok: false, problem: 'too_large' };
  const magnitude = BigInt(`${whole}${fraction}`);
  return { ok: true, value: { digits: sign === '-' ? -magnitude : magnitude, decimals: fraction.length } };
}

/** The decimal as text, as written but without a plus sign or leading zeros ("012.50" → "12.50"). */
export function formatDecimal({ digits, decimals }: Decimal): string {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const fraction = decimals > 0 ? `.${text.slice(text.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The decimal as a JavaScript number (for drawing charts only; never for checks). */
export function decimalToNumber(value: Decimal): number {
  return Number(formatDecimal(value));
}

/** Micro-dollars in one unit of `unit`. */
function microPerUnit(unit: OfficialUnit): bigint {
  return 10n ** BigInt(6 + UNIT_EXPONENT[unit]);
}

/**
 * A value in micro-dollars, exactly, with its last written place: `amount` = the value;
 * `ulp` = one unit in the last decimal written (12.955 million USD → 1,000 USD = 10^9 µ$), the
 * step its rounding hides half of. With at most 6 decimals both are whole micro-dollars.
 */
export function toMicroDollars(value: Decimal, unit: OfficialUnit): { amount: bigint; ulp: bigint } {
  const scale = microPerUnit(unit) / 10n ** BigInt(value.decimals);
  return { amount: value.digits * scale, ulp: scale };
}

/** A number of micro-dollars as millions of US dollars for charts (a float: display only). */
export function microDollarsToMillions(amount: bigint): number {
  return Number(formatDecimal({ digits: amount, decimals: 12 }));
}
