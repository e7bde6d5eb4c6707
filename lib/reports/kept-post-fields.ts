/**
 * The pure half of posts kept across a new sign-in (lib/reports/kept-posts.ts;
 * docs/decisions/0009-posts-kept-across-sign-in.md): which fields of a no-script form post are
 * kept, which partner form they came from, and how large they are. No I/O: safe anywhere.
 */
import { REPORT_ROW_SECTIONS, REPORT_SCALAR_FIELDS } from './form-values';
import { KEPT_OWNER_FIELD } from './owner-hint';

/** One posted text field: [name, value], in the order posted. */
export type KeptField = [name: string, value: string];

/** The partner forms whose posts are kept and replayed after sign-in. */
export type KeptPostKind = 'report' | 'reply';

/** The owner hint's hidden field (lib/reports/owner-hint.ts), never kept nor shown back. */
export { KEPT_OWNER_FIELD };

/** Most fields kept from one post: the report form's own cap on entries (lib/reports/limits.ts). */
export const KEPT_FIELDS_MAX = 2_000;

/**
 * The text fields of a form post, in the order posted, without React's `$ACTION_…` machinery
 * (action ids and references, which name code, not anything typed), without the owner hint
 * (KEPT_OWNER_FIELD) and without files.
 * @returns at most KEPT_FIELDS_MAX fields (later ones are dropped)
 */
export function keptFieldsOf(form: FormData): KeptField[] {
  const fields: KeptField[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string' || name.startsWith('$ACTION') || name === KEPT_OWNER_FIELD) continue;
    fields.push([name, value]);
    if (fields.length >= KEPT_FIELDS_MAX) break;
  }
  return fields;
}

const REPORT_FORM_NAMES: ReadonlySet<string> = new Set([...REPORT_SCALAR_FIELDS, 'intent', 'placeQuery']);
const REPORT_ROW_NAME = /^(vehicles|goods|agencies)\.\d{1,3}\.([A-Za-z]+)$/;

/** Whether a field name is one the report form posts (lib/reports/form-data.ts's naming). */
function isReportFormName(name: string): boolean {
  if (REPORT_FORM_NAMES.has(name)) return true;
  const row = REPORT_ROW_NAME.exec(name);
  const section = row?.[1] as keyof typeof REPORT_ROW_SECTIONS | undefined;
  return !!section && (REPORT_ROW_SECTIONS[section].fields as readonly string[]).includes(row![2]!);
}

/**
 * Which partner form a post came from, by its fields: the report form posts its hidden `clientId`
 * and `title` among fields that all follow its naming (lib/reports/form-data.ts); the reply form
 * posts exactly `reportId` and `body`. Anything else is not kept: delete-draft (a deletion is not
 * carried out behind a sign-in), the photo forms (the upload form's `clientId` is a photo's, beside
 * its `caption`; files are never kept).
 * @returns the kind, or null when the post is not one to keep
 */
export function keptPostKindOf(fields: readonly KeptField[]): KeptPostKind | null {
  const names = new Set(fields.map(([name]) => name));
  if (names.has('clientId') && names.has('title') && [...names].every(isReportFormName)) return 'report';
  if (names.size === 2 && names.has('reportId') && names.has('body')) return 'reply';
  return null;
}

/**
 * UTF-8 bytes of the fields as they are stored (JSON), for the size cap. TextEncoder, not Node's
 * Buffer: this module reaches the browser (the report form, the partner layout), where Buffer
 * would pull a 6 KiB polyfill into their first-load script.
 */
export function keptFieldsBytes(fields: readonly KeptField[]): number {
  return new TextEncoder().encode(JSON.stringify(fields)).length;
}
