import schema from '@/lib/publishing/export-schema.json';

/** GET /exports/reports.schema.json — the JSON Schema of the exports (static). */
export function GET(): Response {
  return new Response(JSON.stringify(schema, null, 2), {
    status: 200,
    headers: { 'content-type': 'application/schema+json; charset=utf-8' },
  });
}
