import { describe, expect, it } from 'vitest';
import { parseWrkSummary } from './wrk';

describe('parseWrkSummary', () => {
  it("reads the done hook's JSON line among wrk's own text: rate, latencies in ms, failures", () => {
    const output = [
      'Running 3s test @ http://127.0.0.1:3154/stats',
      '  2 threads and 20 connections',
      '{"requests":90000,"durationUs":3000000,"connect":0,"read":2,"write":0,"status":15,"timeout":1,"p50":502.000000,"p90":1742.000000,"p99":3901.000000,"max":14550.000000}',
      'Requests/sec:  30000.00',
    ].join('\n');
    expect(parseWrkSummary(output, 20)).toEqual({
      requestsPerSecond: 30_000,
      p50: 0.502,
      p90: 1.742,
      p99: 3.901,
      max: 14.55,
      responses: 90_000,
      non2xx: 15,
      errors: 2,
      timeouts: 1,
      statusCodes: { '2xx-3xx': 89_985, other: 15 },
      connections: 20,
      seconds: 3,
    });
  });

  it('refuses output without the summary (wrk failed to connect or the hook did not run)', () => {
    expect(() => parseWrkSummary('unable to connect to 127.0.0.1:3154 Connection refused', 20)).toThrow(/no summary/);
  });
});
