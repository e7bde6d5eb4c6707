/**
 * (3) /stats and /exports/reports.json, anonymous, at N against 1,000 reports (20 % of each
 * published): median latency ratio. A route that is missing (404) is reported as not available.
 */
import { latencyPair, RouteUnavailable, unavailable, type BenchContext } from '../context';
import type { LatencyPair, PublicResult, Unavailable } from '../results';

export const STATS_PATH = '/stats';
export const EXPORT_JSON_PATH = '/exports/reports.json';

async function measureOne(
  context: BenchContext,
  label: string,
  path: string,
  check: (answer: { headers: Headers; text: string }) => string | null,
): Promise<(LatencyPair & { available: true }) | Unavailable> {
  context.log(`public: ${path}`);
  try {
    const pair = await latencyPair({ context, label, paths: { large: path, small: path }, cookie: { large: null, small: null }, check });
    return { ...pair, available: true };
  } catch (error) {
    if (error instanceof RouteUnavailable) return unavailable(error.message);
    throw error;
  }
}

export async function measurePublic(context: BenchContext): Promise<PublicResult> {
  const stats = await measureOne(context, 'stats', STATS_PATH, ({ headers }) => {
    const type = headers.get('content-type') ?? '';
    return type.includes('text/html') ? null : `content-type ${type}, expected HTML`;
  });
  const exportJson = await measureOne(context, 'export', EXPORT_JSON_PATH, ({ headers, text }) => {
    const type = headers.get('content-type') ?? '';
    if (!type.includes('json')) return `content-type ${type}, expected JSON`;
    try {
      JSON.parse(text);
      return null;
    } catch {
      return 'the body is not valid JSON';
    }
  });
  return { stats, exportJson };
}
