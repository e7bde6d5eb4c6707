import schema from '@/lib/official/export-schema.json';

/** GET /exports/official-trade.schema.json — the JSON Schema of the official-trade exports (static). */
export function GET(): Response {
  return new Response(JSON.stringify(schema, null, 2), {
    status: 200,
    headers: { 'content-type': 'application/schema+json; charset=utf-8' },
  });
}
