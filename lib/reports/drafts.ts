import 'server-only';
import { eq, or, sql } from 'drizzle-orm';
import { preparedQueries, writeTransaction, type Tx } from '@/db/client';
import { deletedDrafts, photos, reportEvents, reportLinks, reportMessages, reports } from '@/db/schema';
import { deletePhotoFile } from '@/lib/photos/storage';
import { findReportForActor } from '@/lib/lifecycle/access';
import type { Actor } from '@/lib/accounts/actor';
import { canPartnerEdit } from '@/lib/lifecycle/workflow';
import { REPORT_LIMITS } from './limits';
import { reportMessage } from './messages';
import { reportRefusal, type ReportWriteRefusal } from './outcomes';
import {
  emptyAgencyRow,
  emptyGoodsRow,
  emptyVehicleRow,
  REPORT_ROW_SECTIONS,
  REPORT_SCALAR_FIELDS,
  type ReportErrors,
  type ReportFieldErrors,
  type ReportFormValues,
  type ReportRowSection,
} from './form-values';
import { rowErrorsAsPosted, withoutEmptyRows } from './form-data';
import { collectReportErrors, draftSchema } from './schema';

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
      /**
       * Null when the draft schema accepted the values. Otherwise the values were still stored as
       * typed, and these are the field messages to show ("saved, but fix these before submitting").
       */
      problems: ReportErrors | null;
    }
  | ReportWriteRefusal;

/**
 * Whether a posted row is blank as the form kept it ready: a plain object with exactly the
 * section's fields, every text '' or whitespace and, for a vehicle, isEstimate false. Stricter than
 * form-values.ts isEmptyRow (an agency row with a role or note typed is kept), and a row with any
 * other key is not blank (the schema refuses it).
 */
function isBlankFormRow(section: ReportRowSection, row: unknown): boolean {
  if (!isPlainObject(row)) return false;
  const { fields } = REPORT_ROW_SECTIONS[section];
  const keys = Object.keys(row);
  if (keys.length !== fields.length || !keys.every((key) => (fields as readonly string[]).includes(key))) return false;
  return keys.every((key) => {
    const value = row[key];
    return key === 'isEstimate' ? value === false : typeof value === 'string' && value.trim() === '';
  });
}

/**
 * The values to check and store: without the blank rows the form keeps ready (they are not part
 * of the report), and where each kept row sits in the posted values (for rowErrorsAsPosted).
 * Anything that is not a plain object with row arrays is returned as it is.
 */
function withoutBlankRows(values: unknown): { values: unknown; positions: Record<ReportRowSection, number[]> } {
  const none = { vehicles: [], goods: [], agencies: [] };
  if (!isPlainObject(values)) return { values, positions: none };
  const sections = Object.keys(REPORT_ROW_SECTIONS) as ReportRowSection[];
  if (!sections.every((section) => Array.isArray(values[section]))) return { values, positions: none };
  const blank = Object.fromEntries(
    sections.map((section) => [section, (values[section] as unknown[]).flatMap((row, i) => (isBlankFormRow(section, row) ? [i] : []))]),
  ) as Record<ReportRowSection, number[]>;
  return withoutEmptyRows(values as ReportFormValues, blank);
}

function invalid(errors: ReportErrors): ReportWriteRefusal {
  return {
    ok: false,
    code: 'invalid',
    messageKey: errors.formErrors[0] ?? reportMessage('fixFields'),
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a string fits the FormData parser's per-value cap (UTF-8 bytes). */
function fitsValueCap(value: string): boolean {
  const max = REPORT_LIMITS.formValueMaxBytes;
  if (value.length > max) return false;
  return value.length * 3 <= max || new TextEncoder().encode(value).length <= max;
}

/** Exactly `fields` as own keys, each a string within the value cap (or a boolean where allowed). */
function hasTypedShape(object: Record<string, unknown>, fields: readonly string[], booleanField?: string): boolean {
  const keys = Object.keys(object);
  if (keys.length !== fields.length || !keys.every((key) => fields.includes(key))) return false;
  return fields.every((field) => {
    const value = object[field];
    return field === booleanField ? typeof value === 'boolean' : typeof value === 'string' && fitsValueCap(value);
  });
}

/**
 * Whether values the draft schema refused are still the form's values as typed and bounded as
 * parseReportFormData bounds a post: exactly the known keys (nothing a partner may not set), every
 * field a string within the per-value byte cap (isEstimate a boolean), rows within their caps.
 * Such values may be kept in draft_values even though some fields do not validate yet.
 */
function isTypedFormValues(values: unknown): values is ReportFormValues {
  if (!isPlainObject(values)) return false;
  const sections = Object.keys(REPORT_ROW_SECTIONS) as (keyof typeof REPORT_ROW_SECTIONS)[];
  const scalars = Object.fromEntries(REPORT_SCALAR_FIELDS.map((field) => [field, values[field]]));
  if (Object.keys(values).length !== REPORT_SCALAR_FIELDS.length + sections.length) return false;
  if (!REPORT_SCALAR_FIELDS.every((field) => Object.hasOwn(values, field))) return false;
  if (!hasTypedShape(scalars, REPORT_SCALAR_FIELDS)) return false;
  return sections.every((section) => {
    const rows = Object.hasOwn(values, section) ? values[section] : undefined;
    const { fields, maxRows } = REPORT_ROW_SECTIONS[section];
    return (
      Array.isArray(rows) &&
      rows.length <= maxRows &&
      rows.every((row) => isPlainObject(row) && hasTypedShape(row, fields, section === 'vehicles' ? 'isEstimate' : undefined))
    );
  });
}

/**
 * The field messages a stored draft's values get from the lenient draftSchema: what saveDraft
 * answered as `problems` when it stored them ({} when they validate). Used by the edit page after
 * a save without scripts redirected there (`?saved=problems`), so the messages stay beside the fields.
 *
 * @param values a stored draft's values ({@link ReportFormValues}).
 * @returns field path → message keys.
 */
export function draftProblems(values: ReportFormValues): ReportFieldErrors {
  const parsed = draftSchema.safeParse(values);
  return parsed.success ? {} : collectReportErrors(parsed.error.issues).fieldErrors;
}

/**
 * Saves the partner's draft (autosave and "Save draft"): creates the report on first save, keyed
 * by the form's client-generated `clientId` (reports.client_id is UNIQUE), else updates it and
 * bumps `version`, in one transaction.
 *
 * What is stored: the form's values exactly as typed, in reports.draft_values (JSON of
 * ReportFormValues), so a half-filled row or a local time that cannot be converted yet is never
 * dropped — except the blank rows the form keeps ready (every field empty, see isBlankFormRow),
 * which are not part of the report: the form lays out its blank rows again when it opens
 * (form-values.ts layoutReportRows), and `problems` name rows by their index in `values` as given. The structured columns and row tables are left as they are: they hold what was
 * submitted (for a report sent back for changes, what editors are reviewing) and are written by
 * {@link import('./submit').submitReport}.
 *
 * Rules: only partners ('forbidden'); only the report's author (another partner's clientId →
 * 'notFound', so nobody learns it exists); only while the report is a draft or sent back for
 * changes (lib/lifecycle/workflow.ts canPartnerEdit → else 'notEditable'). Values are checked with
 * the lenient draftSchema. When it refuses only field values (a count 'about 5', a negative
 * quantity, text over its limit, a malformed id or time) and the values are still the form's
 * values as typed — exactly the known keys, strings within the FormData parser's per-value cap,
 * rows within their caps — they are stored anyway and the answer is `ok: true` with `problems`
 * (the field messages), so nothing the partner typed is lost. Still refused with nothing written
 * ('invalid'): unknown fields and fields a partner may not set (`status`, `authorId`, …), a
 * missing or malformed clientId, wrong types, values over the byte cap, too many rows.
 *
 * @param values the form's values ({@link ReportFormValues}); anything else is refused.
 * @param now UTC ms of the save (default: the clock).
 */
export function saveDraft({ actor, values: posted, now = Date.now() }: { actor: Actor; values: unknown; now?: number }): SaveDraftResult {
  if (actor.role !== 'partner') return reportRefusal('forbidden');
  // Blank rows kept ready by the form are neither checked nor stored; messages go to the rows' numbers on the page.
  const { values, positions } = withoutBlankRows(posted);
  const parsed = draftSchema.safeParse(values);
  let problems: ReportErrors | null = null;
  if (!parsed.success) {
    const found = collectReportErrors(parsed.error.issues);
    const errors = { formErrors: found.formErrors, fieldErrors: rowErrorsAsPosted(found.fieldErrors, positions) };
    // Form-wide errors are unknown or not-settable fields; without a clientId there is no draft.
    const isFieldLevelOnly = errors.formErrors.length === 0 && !Object.hasOwn(errors.fieldErrors, 'clientId');
    if (!isFieldLevelOnly || !isTypedFormValues(values)) return invalid(errors);
    problems = errors;
  }
  // Accepted by the schema, or checked by isTypedFormValues: exactly the form's keys and types.
  const draftValues = copyFormValues(values as ReportFormValues);
  const clientId = draftValues.clientId;

  return writeTransaction((tx): SaveDraftResult => {
    const existing = tx
      .select({ id: reports.id, authorId: reports.authorId, status: reports.status })
      .from(reports)
      .where(eq(reports.clientId, clientId))
      .get();
    if (existing && existing.authorId !== actor.id) return reportRefusal('notFound');
    if (existing && !canPartnerEdit(existing.status)) return reportRefusal('notEditable');
    if (!existing && isDeletedDraft(tx, clientId)) return reportRefusal('notFound');

    if (existing) {
      const [row] = tx
        .update(reports)
        .set({ draftValues, version: sql`${reports.version} + 1`, updatedAt: new Date(now) })
        .where(eq(reports.id, existing.id))
        .returning({ version: reports.version })
        .all();
      if (!row) throw new Error('draft update returned no row');
      return { ok: true, reportId: existing.id, version: row.version, savedAt: now, created: false, problems };
    }
    const [row] = tx
      .insert(reports)
      .values({ clientId, authorId: actor.id, status: 'draft', draftValues, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning({ id: reports.id, version: reports.version })
      .all();
    if (!row) throw new Error('draft insert returned no row');
    return { ok: true, reportId: row.id, version: row.version, savedAt: now, created: true, problems };
  });
}

/**
 * True when a draft with this client id was deleted by its partner (deleted_drafts): saving or
 * submitting under the id again must not bring it back. Call inside the write transaction.
 */
export function isDeletedDraft(tx: Tx, clientId: string): boolean {
  // Prepared once per connection (the submission's write path, issue 20 budget 1a); it runs inside `tx`.
  return deletedDraftLookup(tx).get({ clientId }) !== undefined;
}

const deletedDraftLookup = preparedQueries((db) =>
  db.select({ clientId: deletedDrafts.clientId }).from(deletedDrafts).where(eq(deletedDrafts.clientId, sql.placeholder('clientId'))).prepare(),
);

export type DeleteDraftResult = { ok: true } | ReportWriteRefusal;

/**
 * A partner deletes their own draft — a report never submitted — with its photos. One write
 * transaction deletes the photo rows, the report (its rows go with it) and records the client id
 * in deleted_drafts (so a late autosave or a resent form cannot bring it back); the photo files
 * are deleted after the commit (any left behind are orphans the hourly sweep removes).
 * Refusals (nothing changed): not a partner → 'forbidden'; no such report or another partner's →
 * 'notFound'; anything past draft (submitted once, even if sent back for changes) → 'notEditable',
 * as is a draft with any history, message or link (none can exist; checked all the same, since the
 * report_events log is append-only).
 */
export async function deleteDraft({ actor, reportId }: { actor: Actor; reportId: unknown }): Promise<DeleteDraftResult> {
  if (actor.role !== 'partner') return reportRefusal('forbidden');
  const result = writeTransaction((tx) => {
    // A partner finds only their own reports (another's is "not found").
    const report = findReportForActor({ actor, reportId, tx });
    if (!report) return reportRefusal('notFound');
    if (report.status !== 'draft') return reportRefusal('notEditable');
    const { id } = report;
    const clientId = tx.select({ clientId: reports.clientId }).from(reports).where(eq(reports.id, id)).get()?.clientId;
    if (clientId === undefined) return reportRefusal('notFound');
    const hasHistory =
      tx.select({ id: reportEvents.id }).from(reportEvents).where(eq(reportEvents.reportId, id)).limit(1).get() !== undefined ||
      tx.select({ id: reportMessages.id }).from(reportMessages).where(eq(reportMessages.reportId, id)).limit(1).get() !== undefined ||
      tx
        .select({ id: reportLinks.id })
        .from(reportLinks)
        .where(or(eq(reportLinks.reportId, id), eq(reportLinks.otherReportId, id)))
        .limit(1)
        .get() !== undefined;
    if (hasHistory) return reportRefusal('notEditable');
    const files = tx.select({ storageName: photos.storageName }).from(photos).where(eq(photos.reportId, id)).all();
    tx.delete(photos).where(eq(photos.reportId, id)).run();
    tx.delete(reports).where(eq(reports.id, id)).run();
    tx.insert(deletedDrafts).values({ clientId, authorId: actor.id }).onConflictDoNothing().run();
    return { ok: true as const, files: files.map((f) => f.storageName) };
  });
  if (!result.ok) return result;
  for (const storageName of result.files) {
    try {
      await deletePhotoFile({ storageName });
    } catch {
      // Left for the orphan sweep.
    }
  }
  return { ok: true };
}
