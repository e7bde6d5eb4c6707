/**
 * Report snapshots (the JSON kept in report_revisions.before / .after) and a readable diff between
 * two of them, for the review page's "Edits" section. Pure: no database, no clock.
 *
 * The diff works on any JSON object (so a 'submission' revision written by another module in a
 * slightly different shape still diffs): scalar fields compare by value; arrays of rows compare
 * position by position, and a row that exists on one side only is "added" or "removed".
 */

/** What an editor edit changes: every part of a report a partner fills in. Times in UTC ms. */
export type ReportSnapshot = {
  observedFrom: number | null;
  observedTo: number | null;
  timeZone: string;
  timeNote: string;
  placeId: string | null;
  placeDetail: string;
  placePrecision: string | null;
  title: string;
  narrative: string;
  sourceType: string | null;
  safetyNote: string;
  vehicles: { vehicleType: string; count: number; isEstimate: boolean; direction: string; colours: string; cargo: string }[];
  goods: {
    categoryId: string;
    description: string;
    direction: string;
    quantity: number | null;
    unit: string | null;
    value: number | null;
    currency: string | null;
  }[];
  agencies: { agencyId: string | null; otherName: string | null; role: string; note: string }[];
};

/** English labels of snapshot fields (editor pages may be English). Unknown keys show as they are. */
export const SNAPSHOT_LABELS: Record<string, string> = {
  observedFrom: 'Observed from',
  observedTo: 'Observed to',
  timeZone: 'Time zone',
  timeNote: 'Time note',
  placeId: 'Place',
  placeDetail: 'Place detail',
  placePrecision: 'Place precision',
  title: 'Title',
  narrative: 'Narrative',
  sourceType: 'Source type',
  safetyNote: 'Safety note',
  vehicles: 'Vehicle sighting',
  goods: 'Goods',
  agencies: 'Agency',
  vehicleType: 'type',
  count: 'count',
  isEstimate: 'estimate',
  direction: 'direction',
  colours: 'colours',
  cargo: 'cargo',
  categoryId: 'category',
  description: 'description',
  quantity: 'quantity',
  unit: 'unit',
  value: 'value',
  currency: 'currency',
  agencyId: 'agency',
  otherName: 'other name',
  role: 'role',
  note: 'note',
};

/** One line of a diff. `before`/`after` are display text ('' for empty; null when the row is added/removed). */
export type DiffLine =
  | { kind: 'changed'; label: string; path: string; before: string; after: string }
  | { kind: 'added'; label: string; path: string; after: string }
  | { kind: 'removed'; label: string; path: string; before: string };

export type FormatTime = (instantMs: number, timeZone: string) => string;

const TIME_KEYS = new Set(['observedFrom', 'observedTo']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function label(key: string): string {
  return SNAPSHOT_LABELS[key] ?? key;
}

/** Display text of one value: '' for null/undefined, 'yes'/'no' for booleans, times via `formatTime`. */
export function displayValue(key: string, value: unknown, timeZone: string, formatTime?: FormatTime): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && TIME_KEYS.has(key) && formatTime) return formatTime(value, timeZone);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function rowSummary(row: unknown): string {
  if (!isRecord(row)) return displayValue('', row, 'UTC');
  return Object.entries(row)
    .filter(([, v]) => v !== null && v !== '' && v !== undefined && v !== false)
    .map(([k, v]) => `${label(k)}: ${displayValue(k, v, 'UTC')}`)
    .join('; ');
}

/**
 * The changes from `before` to `after`, in field order of `after` then fields only in `before`.
 * Row arrays give per-field lines labelled 'Vehicle sighting 2 · count'. Time fields are shown
 * with `formatTime` in each side's own time zone (field `timeZone`, default 'UTC').
 */
export function diffSnapshots(before: unknown, after: unknown, formatTime?: FormatTime): DiffLine[] {
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const zoneA = typeof a.timeZone === 'string' ? a.timeZone : 'UTC';
  const zoneB = typeof b.timeZone === 'string' ? b.timeZone : 'UTC';
  const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !Object.hasOwn(b, k))];
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const va = a[key];
    const vb = b[key];
    if (Array.isArray(va) || Array.isArray(vb)) {
      const rowsA = Array.isArray(va) ? va : [];
      const rowsB = Array.isArray(vb) ? vb : [];
      for (let i = 0; i < Math.max(rowsA.length, rowsB.length); i += 1) {
        const ra: unknown = rowsA[i];
        const rb: unknown = rowsB[i];
        const rowLabel = `${label(key)} ${i + 1}`;
        const path = `${key}.${i}`;
        if (i >= rowsA.length) lines.push({ kind: 'added', label: rowLabel, path, after: rowSummary(rb) });
        else if (i >= rowsB.length) lines.push({ kind: 'removed', label: rowLabel, path, before: rowSummary(ra) });
        else if (isRecord(ra) && isRecord(rb)) {
          const fields = [...Object.keys(rb), ...Object.keys(ra).filter((k) => !Object.hasOwn(rb, k))];
          for (const field of fields) {
            const fa = displayValue(field, ra[field], zoneA);
            const fb = displayValue(field, rb[field], zoneB);
            if (fa !== fb) lines.push({ kind: 'changed', label: `${rowLabel} · ${label(field)}`, path: `${path}.${field}`, before: fa, after: fb });
          }
        } else if (JSON.stringify(ra) !== JSON.stringify(rb)) {
          lines.push({ kind: 'changed', label: rowLabel, path, before: rowSummary(ra), after: rowSummary(rb) });
        }
      }
      continue;
    }
    const da = displayValue(key, va, zoneA, formatTime);
    const db = displayValue(key, vb, zoneB, formatTime);
    // Times compare by instant and zone; a zone change alone shows on the timeZone line.
    const same = TIME_KEYS.has(key) ? va === vb : da === db;
    if (!same) lines.push({ kind: 'changed', label: label(key), path: key, before: da, after: db });
  }
  return lines;
}

/** A snapshot (or any JSON object) as labelled lines for display: scalars first, then rows. */
export type SnapshotView = {
  fields: { key: string; label: string; value: string }[];
  sections: { key: string; label: string; rows: string[] }[];
};

/**
 * Lay out a stored snapshot — e.g. the partner's original submission — for reading: every scalar
 * field with its label (times with `formatTime` in the snapshot's own zone), and every row array
 * as one summary line per row. Unknown keys are shown under their own name.
 */
export function describeSnapshot(content: unknown, formatTime?: FormatTime): SnapshotView {
  const view: SnapshotView = { fields: [], sections: [] };
  if (!isRecord(content)) return view;
  const zone = typeof content.timeZone === 'string' ? content.timeZone : 'UTC';
  for (const [key, value] of Object.entries(content)) {
    if (Array.isArray(value)) view.sections.push({ key, label: label(key), rows: value.map(rowSummary) });
    else view.fields.push({ key, label: label(key), value: displayValue(key, value, zone, formatTime) });
  }
  return view;
}
