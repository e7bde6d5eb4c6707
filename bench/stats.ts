/** Small statistics helpers (pure). */

/** The p-th percentile (0–100) of `values` by nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** The median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** a ÷ b rounded to 3 decimals; Infinity when b is 0 and a is not. */
export function ratio(a: number, b: number): number {
  if (b === 0) return a === 0 ? 1 : Number.POSITIVE_INFINITY;
  return Math.round((a / b) * 1000) / 1000;
}

/**
 * How much slower `encrypted` is than `plain`, in %, by time per request: for latencies (ms)
 * (encrypted ÷ plain − 1) × 100, for throughputs (req/s) (plain ÷ encrypted − 1) × 100. Time per
 * request rather than throughput lost, so a figure reads the same way for both units (and 0.87 of
 * the plain throughput counts as 14.9 % slower, not 13 %). Rounded to 0.1; NaN when a figure is
 * missing or not positive.
 */
export function slowerPercent(unit: 'ms' | 'req/s', encrypted: number, plain: number): number {
  if (!(encrypted > 0) || !(plain > 0)) return Number.NaN;
  const timeRatio = unit === 'ms' ? encrypted / plain : plain / encrypted;
  return Math.round((timeRatio - 1) * 1000) / 10;
}
