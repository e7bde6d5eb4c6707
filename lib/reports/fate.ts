import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { reports } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { canPartnerEdit } from '@/lib/lifecycle/workflow';
import { placeTimeZone } from '@/lib/places/gazetteer';
import { isEmptyRow, PLACE_TIME_ZONE, REPORT_ROW_SECTIONS, type ReportRowSection } from './form-values';
import type { ReportFate } from './outcomes';
import { clientIdField } from './field-schemas';
import { describeFiled, isSameAsLastSubmission } from './submit';

/**
 * What became of a partner's report, asked by the form's client id after the answer to a Submit
 * (or a save) was lost, or when a copy kept on the device turns out to be of a report that can no
 * longer be changed:
 * - `{ found: false }`: no report of THIS partner has this client id (never received, a deleted
 *   draft, another partner's report, a malformed id, a caller who is not a partner: all alike, so
 *   a partner never learns that another partner's report exists — docs/product.md);
 * - `{ found: true, isEditable: true, reportId, status }`: the server holds it as a draft (or sent
 *   back for changes): the Submit was not received;
 * - `{ found: true, isEditable: false, filed, matchesFiled }`: filed (submitted, in review, rejected,
 *   published …); `filed` says when (UTC ms); `matchesFiled` is true when the given `values` are
 *   exactly what was last submitted (lib/reports/submit.ts isSameAsLastSubmission, on the values as
 *   the form's Submit sends them: rows never filled in left out, a time zone left to follow the
 *   place made the place's), false when they differ or were not given.
 * @param clientId the form's client id (a UUID; anything else is `found: false`).
 * @param values the form's values (ReportFormValues) to compare with what was filed; optional.
 * @param now UTC ms, for reading the values as a Submit would (default: the clock).
 */
export function whatBecameOfReport({
  actor,
  clientId,
  values,
  now = Date.now(),
}: {
  actor: Actor;
  clientId: unknown;
  values?: unknown;
  now?: number;
}): ReportFate {
  if (actor.role !== 'partner') return { found: false };
  const id = clientIdField().safeParse(clientId);
  if (!id.success) return { found: false };
  const db = getDb();
  const report = db
    .select({ id: reports.id, authorId: reports.authorId, status: reports.status, submittedAt: reports.submittedAt })
    .from(reports)
    .where(eq(reports.clientId, id.data))
    .get();
  if (!report || report.authorId !== actor.id) return { found: false };
  if (canPartnerEdit(report.status)) return { found: true, isEditable: true, reportId: report.id, status: report.status };
  const matchesFiled = values !== undefined && isSameAsLastSubmission(db, report.id, asSubmitted(values), now);
  return { found: true, isEditable: false, filed: describeFiled(db, report), matchesFiled };
}

/**
 * The values as the report form's Submit hands them to submitReport (app/(partner)/partner/reports/
 * actions.ts): without the rows the form leaves out (form-values.ts isEmptyRow, the one rule the
 * form's Submit uses: an agency line with no agency ticked or named is empty even with a role
 * chosen), and a time zone left to follow the place made the place's (form-values.ts
 * withPlaceTimeZone). Anything that is not an object is returned as it is.
 */
function asSubmitted(values: unknown): unknown {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return values;
  const copy: Record<string, unknown> = { ...values };
  for (const section of Object.keys(REPORT_ROW_SECTIONS) as ReportRowSection[]) {
    const rows = copy[section];
    if (!Array.isArray(rows)) continue;
    // Rows that are not objects stay, for the submit schema to refuse.
    copy[section] = rows.filter((row: unknown) => typeof row !== 'object' || row === null || !isEmptyRow(section, row as Parameters<typeof isEmptyRow>[1]));
  }
  if (copy.timeZone === PLACE_TIME_ZONE && typeof copy.placeId === 'string') {
    const zone = placeTimeZone({ placeId: copy.placeId });
    if (zone !== null) copy.timeZone = zone;
  }
  return copy;
}
