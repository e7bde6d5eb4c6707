import 'server-only';
import { eq, inArray } from 'drizzle-orm';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { agencies, goodsCategories, places, reportRevisions, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { bumpVersion } from '@/lib/lifecycle/transition';
import { findReportForActor } from '@/lib/lifecycle/access';
import { contentToFormValues, readReport, reportContentColumns, writeReportRows, type StoredReportContent } from '@/lib/reports/content';
import type { ReportFormValues } from '@/lib/reports/form-values';
import { parseReportForSubmit, type ValidatedReport } from '@/lib/reports/validate';
import { diffSnapshots, type DiffLine, type ReportSnapshot } from './diff';
import { formatInstantWithOffset, isTimeZoneName } from '@/lib/reports/time';
import { loadForEditorWrite, refuseNonEditor } from './guard';
import { refuse } from '@/lib/refusal';
import { NOT_FOUND, STALE, type ReviewFailure, type ReviewResult } from './result';
import { positiveInt } from './schema';

/**
 * Editor edits (issue 4): editors may correct any part of a report. Each edit is validated like a
 * submission (lib/reports/validate.ts), written in one transaction with a report_revisions row of
 * kind 'editor_edit' holding the whole report before and after, and guarded by the report's
 * version. The partner's original submission ('submission' revisions) is never touched.
 *
 * Editable statuses: in_review, verified, published — the states an editor holds. A submitted
 * report is claimed first; a report sent back for changes is the partner's to edit; rejected and
 * retracted reports are closed. (A published report's public snapshot changes only when it is
 * republished.)
 */

type Reader = DB | Tx;

/** Statuses in which editors may edit a report. */
export const EDITOR_EDITABLE_STATUSES: readonly ReportStatus[] = ['in_review', 'verified', 'published'];

/** The whole editable content of a report, as stored in revisions (lib/reports/content.ts readReport). */
export function loadReportSnapshot(reader: Reader, reportId: number): ReportSnapshot | null {
  return readReport(reader, reportId)?.content ?? null;
}

export type EditFormData = {
  reportId: number;
  version: number;
  status: ReportStatus;
  isEditable: boolean;
  values: ReportFormValues;
};

/**
 * What the editor's edit form starts from: the report's current values (times in its zone) and
 * the version to post back. not_found for unknown ids and drafts; forbidden for non-editors.
 */
export function getEditForm({ actor, reportId }: { actor: Actor; reportId: unknown }): ReviewResult<EditFormData> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const access = findReportForActor({ actor, reportId });
  if (!access) return { ...NOT_FOUND };
  const report = readReport(getDb(), access.id);
  if (!report) return { ...NOT_FOUND };
  return {
    ok: true,
    reportId: access.id,
    version: access.version,
    status: access.status,
    isEditable: EDITOR_EDITABLE_STATUSES.includes(access.status),
    values: contentToFormValues(report.content, report.clientId),
  };
}

function validatedToSnapshot(data: ValidatedReport): StoredReportContent {
  return {
    observedFrom: data.observedFrom,
    observedTo: data.observedTo,
    timeZone: data.timeZone,
    timeNote: data.timeNote,
    placeId: data.placeId,
    placeDetail: data.placeDetail,
    placePrecision: data.placePrecision,
    title: data.title,
    narrative: data.narrative,
    sourceType: data.sourceType,
    safetyNote: data.safetyNote,
    // Field by field, in loadReportSnapshot's order, so equal reports give equal JSON.
    vehicles: data.vehicles.map((v) => ({
      vehicleType: v.vehicleType,
      count: v.count,
      isEstimate: v.isEstimate,
      direction: v.direction,
      colours: v.colours,
      cargo: v.cargo,
    })),
    goods: data.goods.map((g) => ({
      categoryId: g.categoryId,
      description: g.description,
      direction: g.direction,
      quantity: g.quantity,
      unit: g.unit,
      value: g.value,
      currency: g.currency,
    })),
    agencies: data.agencies.map((a) => ({ agencyId: a.agencyId, otherName: a.otherName, role: a.role, note: a.note })),
  };
}

/** Field errors for references that do not exist: place, goods categories, agencies. */
function checkReferences(reader: Reader, data: ReportSnapshot): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const set = (path: string, key: string) => Object.defineProperty(errors, path, { value: [key], enumerable: true });
  if (data.placeId && !reader.select({ id: places.id }).from(places).where(eq(places.id, data.placeId)).get()) {
    set('placeId', 'report.errors.placeInvalid');
  }
  const categoryIds = [...new Set(data.goods.map((g) => g.categoryId))];
  const knownCategories = new Set(
    categoryIds.length ? reader.select({ id: goodsCategories.id }).from(goodsCategories).where(inArray(goodsCategories.id, categoryIds)).all().map((c) => c.id) : [],
  );
  data.goods.forEach((g, i) => {
    if (!knownCategories.has(g.categoryId)) set(`goods.${i}.categoryId`, 'report.errors.categoryInvalid');
  });
  const agencyIds = [...new Set(data.agencies.flatMap((a) => (a.agencyId ? [a.agencyId] : [])))];
  const knownAgencies = new Set(
    agencyIds.length ? reader.select({ id: agencies.id }).from(agencies).where(inArray(agencies.id, agencyIds)).all().map((a) => a.id) : [],
  );
  data.agencies.forEach((a, i) => {
    if (a.agencyId && !knownAgencies.has(a.agencyId)) set(`agencies.${i}.agencyId`, 'report.errors.agencyInvalid');
  });
  return errors;
}

export type EditDone = {
  reportId: number;
  /** The report's version after the edit (unchanged when nothing changed). */
  version: number;
  /** The new editor_edit revision, or null when the values were the same as stored. */
  revisionId: number | null;
};

/**
 * A correction refused because another editor changed the report since the form was opened
 * (issue 19 item 7): nothing was written, and the editor's typed change is kept beside the report
 * as it is now — `lines` is the diff from the fresh version (`before`) to what they typed
 * (`after`), `version` the fresh version, so saving again applies their change over it knowingly.
 */
export type EditConflict = ReviewFailure & { code: 'stale'; conflict: { version: number; lines: DiffLine[] } };

/** An instant shown in its zone with the offset (the diff's times), or in UTC for an unknown zone. */
function formatConflictTime(instantMs: number, timeZone: string): string {
  return isTimeZoneName(timeZone) ? formatInstantWithOffset({ instantMs, timeZone }) : new Date(instantMs).toISOString();
}

/**
 * Save an editor's correction of a report.
 *
 * @param values the report form's values ({@link ReportFormValues}); validated as a submission
 *   (every rule of the partner's form, times in the chosen zone) against `now`
 * @param version the version the edit form was rendered with
 * @returns `{ ok: true, reportId, version, revisionId }` — revisionId null and no write when
 *   nothing changed — or a refusal with nothing written: forbidden, not_found, invalid_input
 *   (`fieldErrors` with report.errors.* keys per field path), stale (an {@link EditConflict} with
 *   the fresh version and the diff to what was typed, when the typed values were valid),
 *   not_editable.
 */
export function editReport({
  actor,
  reportId,
  version,
  values,
  now = Date.now(),
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  values: unknown;
  now?: number;
}): ReviewResult<EditDone> | EditConflict {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const ver = positiveInt('review.errors.staleVersion').safeParse(version);
  if (!ver.success) return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };
  const parsed = parseReportForSubmit(values, now);
  if (!parsed.ok) {
    const fieldErrors: Record<string, string[]> = { ...parsed.fieldErrors };
    if (parsed.formErrors.length) fieldErrors.form = [...parsed.formErrors];
    return refuse('invalid_input', 'review.errors.fixFields', fieldErrors);
  }
  const after = validatedToSnapshot(parsed.data);
  return writeTransaction((tx): ReviewResult<EditDone> | EditConflict => {
    const loaded = loadForEditorWrite(tx, { actor, reportId: id.data, version: ver.data });
    if (!loaded.ok && loaded.code === 'stale') {
      const fresh = findReportForActor({ actor, reportId: id.data, tx });
      const current = fresh ? loadReportSnapshot(tx, fresh.id) : null;
      if (!fresh || !current) return loaded;
      return { ...loaded, code: 'stale', conflict: { version: fresh.version, lines: diffSnapshots(current, after, formatConflictTime) } };
    }
    if (!loaded.ok) return loaded;
    const { report } = loaded;
    if (!EDITOR_EDITABLE_STATUSES.includes(report.status)) return refuse('not_editable', 'review.errors.notEditable');
    const referenceErrors = checkReferences(tx, after);
    if (Object.keys(referenceErrors).length) return refuse('invalid_input', 'review.errors.fixFields', referenceErrors);
    const before = loadReportSnapshot(tx, report.id);
    if (!before) return { ...NOT_FOUND };
    if (JSON.stringify(before) === JSON.stringify(after)) return { ok: true, reportId: report.id, version: report.version, revisionId: null };

    const at = new Date();
    const nextVersion = bumpVersion(tx, report, reportContentColumns(after), at);
    writeReportRows(tx, report.id, after, { replace: true });
    const [revision] = tx
      .insert(reportRevisions)
      .values({ reportId: report.id, actorId: actor.id, kind: 'editor_edit', before, after, createdAt: at })
      .returning({ id: reportRevisions.id })
      .all();
    if (!revision) throw new Error('revision insert returned no row');
    return { ok: true, reportId: report.id, version: nextVersion, revisionId: revision.id };
  });
}
