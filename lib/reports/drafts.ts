import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { writeTransaction } from '@/db/client';
import { reports } from '@/db/schema';
import type { SessionAccount } from '@/lib/auth/session';
import { canPartnerEdit } from '@/lib/review/workflow';
import { reportMessage } from './messages';
import { reportRefusal, type ReportWriteRefusal } from './outcomes';
import {
  collectReportErrors,
  draftSchema,
  emptyAgencyRow,
  emptyGoodsRow,
  emptyVehicleRow,
  REPORT_ROW_SECTIONS,
  REPORT_SCALAR_FIELDS,
  type ReportErrors,
  type ReportFormValues,
} from './schema';

type Actor = Pick<SessionAccount, 'id' | 'role'>;

export type SaveDraftResult =
  | {
      ok: true;
      reportId: number;
      /** The report's version after this save (bumped by every save). */
      version: number;
      /** UTC ms of this save. */
      savedAt: number;
      /** True when this save created the report. */
      created: boolean;
    }
  | ReportWriteRefusal;

function invalid(errors: ReportErrors): ReportWriteRefusal {
  return {
    ok: false,
    reason: 'invalid',
    message: errors.formErrors[0] ?? reportMessage('fixFields'),
    fieldErrors: errors.fieldErrors,
    formErrors: errors.formErrors,
    timeOptions: {},
  };
}

/**
 * A clean copy of values the draft schema accepted (so every key is known): built from the known
 * keys only, clientId as the schema stores it (trimmed, lower-case).
 */
function copyFormValues(values: ReportFormValues): ReportFormValues {
  return {
    ...Object.fromEntries(REPORT_SCALAR_FIELDS.map((field) => [field, values[field]])),
    clientId: values.clientId.trim().toLowerCase(),
    vehicles: values.vehicles.map((row) => ({ ...emptyVehicleRow(), ...pick(row, REPORT_ROW_SECTIONS.vehicles.fields) })),
    goods: values.goods.map((row) => ({ ...emptyGoodsRow(), ...pick(row, REPORT_ROW_SECTIONS.goods.fields) })),
    agencies: values.agencies.map((row) => ({ ...emptyAgencyRow(), ...pick(row, REPORT_ROW_SECTIONS.agencies.fields) })),
  } as ReportFormValues;
}

function pick<T extends object>(row: T, fields: readonly string[]): Partial<T> {
  return Object.fromEntries(fields.map((field) => [field, (row as Record<string, unknown>)[field]])) as Partial<T>;
}

/**
 * Saves the partner's draft (autosave and "Save draft"): creates the report on first save, keyed
 * by the form's client-generated `clientId` (reports.client_id is UNIQUE), else updates it and
 * bumps `version`, in one transaction.
 *
 * What is stored: the form's values exactly as typed, in reports.draft_values (JSON of
 * ReportFormValues), so a half-filled row or a local time that cannot be converted yet is never
 * dropped. The structured columns and row tables are left as they are: they hold what was
 * submitted (for a report sent back for changes, what editors are reviewing) and are written by
 * {@link import('./submit').submitReport}.
 *
 * Rules: only partners ('forbidden'); only the report's author (another partner's clientId →
 * 'notFound', so nobody learns it exists); only while the report is a draft or sent back for
 * changes (lib/review/workflow.ts canPartnerEdit → else 'notEditable'). Values are checked with
 * the lenient draftSchema (types, limits, enums, row caps; refuses unknown fields and fields a
 * partner may not set, such as `status` or `authorId`). A refusal writes nothing.
 *
 * @param values the form's values ({@link ReportFormValues}); anything else is refused.
 * @param now UTC ms of the save (default: the clock).
 */
export function saveDraft({ actor, values, now = Date.now() }: { actor: Actor; values: unknown; now?: number }): SaveDraftResult {
  if (actor.role !== 'partner') return reportRefusal('forbidden');
  const parsed = draftSchema.safeParse(values);
  if (!parsed.success) return invalid(collectReportErrors(parsed.error.issues));
  // The schema accepted the input, so it has exactly the form's keys and types.
  const draftValues = copyFormValues(values as ReportFormValues);
  const clientId = parsed.data.clientId;

  return writeTransaction((tx): SaveDraftResult => {
    const existing = tx
      .select({ id: reports.id, authorId: reports.authorId, status: reports.status })
      .from(reports)
      .where(eq(reports.clientId, clientId))
      .get();
    if (existing && existing.authorId !== actor.id) return reportRefusal('notFound');
    if (existing && !canPartnerEdit(existing.status)) return reportRefusal('notEditable');

    if (existing) {
      const [row] = tx
        .update(reports)
        .set({ draftValues, version: sql`${reports.version} + 1`, updatedAt: new Date(now) })
        .where(eq(reports.id, existing.id))
        .returning({ version: reports.version })
        .all();
      if (!row) throw new Error('draft update returned no row');
      return { ok: true, reportId: existing.id, version: row.version, savedAt: now, created: false };
    }
    const [row] = tx
      .insert(reports)
      .values({ clientId, authorId: actor.id, status: 'draft', draftValues, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning({ id: reports.id, version: reports.version })
      .all();
    if (!row) throw new Error('draft insert returned no row');
    return { ok: true, reportId: row.id, version: row.version, savedAt: now, created: true };
  });
}
