/**
 * The report the benchmark submits, as the no-script HTML form posts it (pure; unit tested).
 *
 * Field names follow lib/reports/form-data.ts (the one FormData → report parser): scalar fields,
 * `vehicles.N.*`, `goods.N.*`, `agencies.N.*`, and `intent=submit`. The content is the first demo
 * report of db/seed-data/demo-reports.json (4 vehicle rows and 4 goods rows), so it passes the
 * server's full validation like a real partner's report.
 */
import demo from '@/db/seed-data/demo-reports.json';

/** A deterministic, valid v4-shaped UUID whose first group marks the run (for counting later). */
export function benchClientId(runTag: string, n: number): string {
  if (!/^[0-9a-f]{8}$/.test(runTag)) throw new RangeError('runTag must be 8 lower-case hex digits');
  const tail = n.toString(16).padStart(12, '0');
  if (tail.length > 12) throw new RangeError('n too large');
  return `${runTag}-0000-4000-8000-${tail}`;
}

type DemoReport = (typeof demo.reports)[number];

/** The report fields (no clientId, no intent) of the first demo report, in form order. */
export function benchReportFields(): [string, string][] {
  const report: DemoReport | undefined = demo.reports[0];
  if (!report) throw new Error('db/seed-data/demo-reports.json has no reports');
  const fields: [string, string][] = [
    ['observedFrom', report.observed_from],
    ['observedFromChoice', ''],
    ['observedTo', report.observed_to],
    ['observedToChoice', ''],
    ['timeZone', report.time_zone],
    ['timeNote', report.time_note],
    ['placeId', report.place],
    ['placeDetail', report.place_detail],
    ['placePrecision', report.place_precision],
    ['title', report.title],
    ['narrative', report.narrative],
    ['sourceType', report.source_type],
    ['safetyNote', report.safety_note],
  ];
  report.vehicles.slice(0, 4).forEach((v, i) => {
    fields.push([`vehicles.${i}.vehicleType`, v.type], [`vehicles.${i}.count`, String(v.count)]);
    if (v.estimate) fields.push([`vehicles.${i}.isEstimate`, 'on']);
    fields.push([`vehicles.${i}.direction`, v.direction], [`vehicles.${i}.colours`, v.colours], [`vehicles.${i}.cargo`, v.cargo]);
  });
  report.goods.slice(0, 4).forEach((g, i) => {
    fields.push(
      [`goods.${i}.categoryId`, g.category],
      [`goods.${i}.description`, g.description],
      [`goods.${i}.direction`, g.direction],
      [`goods.${i}.quantity`, ''],
      [`goods.${i}.unit`, ''],
      [`goods.${i}.value`, ''],
      [`goods.${i}.currency`, ''],
    );
  });
  return fields;
}

/** The same report as a JSON object (for a JSON submission route, if the app has one). */
export function benchReportJson(clientId: string): Record<string, unknown> {
  const values: Record<string, unknown> = { clientId };
  const vehicles: Record<string, unknown>[] = [];
  const goods: Record<string, unknown>[] = [];
  for (const [name, value] of benchReportFields()) {
    const m = /^(vehicles|goods)\.(\d+)\.(\w+)$/.exec(name);
    if (!m) {
      values[name] = value;
      continue;
    }
    const list = m[1] === 'vehicles' ? vehicles : goods;
    const index = Number(m[2]);
    const rowValues = (list[index] ??= m[1] === 'vehicles' ? { isEstimate: false } : {});
    rowValues[m[3] ?? ''] = m[3] === 'isEstimate' ? true : value;
  }
  return { ...values, vehicles, goods, agencies: [] };
}

const CLIENT_ID_PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

/**
 * A multipart/form-data body for `fields` (text only), split around the clientId value so each
 * request can carry a distinct id without re-encoding: body = head + clientId + tail.
 * `fields` must include ['clientId', …] exactly once.
 */
export function multipartTemplate(fields: readonly [string, string][], boundary: string): { head: Buffer; tail: Buffer; contentType: string } {
  if (fields.filter(([name]) => name === 'clientId').length !== 1) throw new RangeError('fields need one clientId');
  const parts: string[] = [];
  for (const [name, value] of fields) {
    const escaped = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const v = name === 'clientId' ? CLIENT_ID_PLACEHOLDER : value.replace(/\r?\n/g, '\r\n');
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escaped}"\r\n\r\n${v}\r\n`);
  }
  parts.push(`--${boundary}--\r\n`);
  const body = parts.join('');
  const at = body.indexOf(CLIENT_ID_PLACEHOLDER);
  return {
    head: Buffer.from(body.slice(0, at), 'utf8'),
    tail: Buffer.from(body.slice(at + CLIENT_ID_PLACEHOLDER.length), 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
