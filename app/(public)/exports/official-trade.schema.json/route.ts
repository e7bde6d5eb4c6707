import schema from '@/lib/official/export-schema.json';
import { publicAnswer } from '@/lib/http/public-answer';

/** When this process loaded the schema: it changes only with a new version of the app. */
const LOADED_AT = Date.now();
const BODY = JSON.stringify(schema, null, 2);

/** GET /exports/official-trade.schema.json — the JSON Schema of the official-trade exports (static; cacheable, 304). */
export function GET(request: Request): Response {
  return publicAnswer(request, BODY, { contentType: 'application/schema+json; charset=utf-8', lastModified: LOADED_AT });
}
