import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { writeTransaction } from '@/db/client';
import { reports, type TimeZoneName } from '@/db/schema';
import type { SessionAccount } from '@/lib/auth/session';
import { canPartnerEdit } from '@/lib/review/workflow';
import { addReferenceErrors, hasReportErrors, writeReportContent, type StoredReportContent } from './content';
import { reportMessage } from './messages';
import { reportRefusal, type ReportTimeChoices, type ReportWriteRefusal } from './outcomes';
import { addReportError, collectReportErrors, draftSchema, type ReportErrors } from './schema';
import { localDateTimeToInstant } from './time';

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
      /**
       * Rows kept out of the server copy because they are not complete enough to store (a vehicle
       * row needs its type, count and direction; a goods row its category and direction; an agency
       * row its agency — or "other" with a name — and its role), as form paths such as
       * 'vehicles.1'. The form keeps them, and a copy in the browser, until they are complete.
       */
      heldBackRows: string[];
    }
  | ReportWriteRefusal;

const DEFAULT_TIME_ZONE: TimeZoneName = 'Asia/Pyongyang';

function invalid(errors: ReportErrors, timeOptions: ReportTimeChoices = {}): ReportWriteRefusal {
  return {
    ok: false,
    reason: 'invalid',
    message: errors.formErrors[0] ?? reportMessage('fixFields'),
    fieldErrors: errors.fieldErrors,
    formErrors: errors.formErrors,
    timeOptions,
  };
}

/**
 * Saves the partner's draft (autosave and "Save draft"): creates the report on first save, keyed
 * by the form's client-generated `clientId` (reports.client_id is UNIQUE), else replaces its
 * content and rows in one transaction and bumps `version`.
 *
 * Rules: only partners; only the report's author (another partner's clientId → 'notFound', so
 * nobody learns it exists); only while the report is a draft or sent back for changes
 * (lib/review/workflow.ts canPartnerEdit → else 'notEditable'). Values are checked with the
 * lenient draftSchema (types, limits, enums, row caps; refuses unknown fields and fields a partner
 * may not set, such as `status` or `authorId`); times must exist in the zone (a time in a clock
 * gap is refused, one that happened twice needs its choice, `timeOptions` then carries both);
 * places, categories and agencies must be active. A refusal writes nothing.
 *
 * @param values the form's values ({@link import('./schema').ReportFormValues}); anything else is refused.
 * @param now UTC ms of the save (default: the clock).
 */
export function saveDraft({ actor, values, now = Date.now() }: { actor: Actor; values: unknown; now?: number }): SaveDraftResult {
  if (actor.role !== 'partner') return reportRefusal('forbidden');
  const parsed = draftSchema.safeParse(values);
  if (!parsed.success) return invalid(collectReportErrors(parsed.error.issues));
  const draft = parsed.data;

  const errors: ReportErrors = { fieldErrors: {}, formErrors: [] };
  const timeOptions: ReportTimeChoices = {};
  const timeZone = draft.timeZone ?? DEFAULT_TIME_ZONE;
  const instants = { observedFrom: null as number | null, observedTo: null as number | null };
  for (const [field, choice] of [
    ['observedFrom', draft.observedFromChoice],
    ['observedTo', draft.observedToChoice],
  ] as const) {
    const localDateTime = draft[field];
    if (localDateTime === null) continue;
    const result = localDateTimeToInstant({ localDateTime, timeZone, choice });
    if (result.ok) instants[field] = result.instantMs;
    else {
      addReportError(errors, field, result.message);
      if (result.reason === 'overlap') timeOptions[field] = result.options;
    }
  }

  const heldBackRows: string[] = [];
  const vehicles: StoredReportContent['vehicles'] = [];
  draft.vehicles.forEach((row, i) => {
    const { vehicleType, count, direction } = row;
    if (vehicleType === null || count === null || direction === null) heldBackRows.push(`vehicles.${i}`);
    else vehicles.push({ vehicleType, count, direction, isEstimate: row.isEstimate, colours: row.colours, cargo: row.cargo });
  });
  const goods: StoredReportContent['goods'] = [];
  const goodsPaths: number[] = [];
  draft.goods.forEach((row, i) => {
    const { categoryId, direction } = row;
    if (categoryId === null || direction === null) heldBackRows.push(`goods.${i}`);
    else {
      goods.push({ ...row, categoryId, direction });
      goodsPaths.push(i);
    }
  });
  const agencies: StoredReportContent['agencies'] = [];
  const agencyPaths: number[] = [];
  draft.agencies.forEach((row, i) => {
    const { role } = row;
    if (role === null || (row.agencyId === null && row.otherName === null)) heldBackRows.push(`agencies.${i}`);
    else {
      agencies.push({ agencyId: row.agencyId, otherName: row.otherName, role, note: row.note });
      agencyPaths.push(i);
    }
  });

  const content: StoredReportContent = {
    observedFrom: instants.observedFrom,
    observedTo: instants.observedTo,
    timeZone,
    timeNote: draft.timeNote,
    placeId: draft.placeId,
    placeDetail: draft.placeDetail,
    placePrecision: draft.placePrecision,
    title: draft.title,
    narrative: draft.narrative,
    sourceType: draft.sourceType,
    safetyNote: draft.safetyNote,
    vehicles,
    goods,
    agencies,
  };

  return writeTransaction((tx): SaveDraftResult => {
    addReferenceErrors(tx, content, errors, { goods: goodsPaths, agencies: agencyPaths });
    if (hasReportErrors(errors)) return invalid(errors, timeOptions);

    const existing = tx
      .select({ id: reports.id, authorId: reports.authorId, status: reports.status, version: reports.version })
      .from(reports)
      .where(eq(reports.clientId, draft.clientId))
      .get();
    if (existing && existing.authorId !== actor.id) return reportRefusal('notFound');
    if (existing && !canPartnerEdit(existing.status)) return reportRefusal('notEditable');

    let reportId: number;
    let version: number;
    if (existing) {
      const [row] = tx
        .update(reports)
        .set({ version: sql`${reports.version} + 1`, updatedAt: new Date(now) })
        .where(eq(reports.id, existing.id))
        .returning({ version: reports.version })
        .all();
      if (!row) throw new Error('draft update returned no row');
      reportId = existing.id;
      version = row.version;
    } else {
      const [row] = tx
        .insert(reports)
        .values({ clientId: draft.clientId, authorId: actor.id, status: 'draft', createdAt: new Date(now), updatedAt: new Date(now) })
        .returning({ id: reports.id, version: reports.version })
        .all();
      if (!row) throw new Error('draft insert returned no row');
      reportId = row.id;
      version = row.version;
    }
    writeReportContent(tx, reportId, content);
    return { ok: true, reportId, version, savedAt: now, created: !existing, heldBackRows };
  });
}
