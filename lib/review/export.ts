import 'server-only';
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { writeTransaction, type Tx } from '@/db/client';
import { accounts, agencies, goodsCategories, places, reportAgencies, reportGoods, reports, reportVehicles } from '@/db/schema';
import { isActorStill, type Actor } from '@/lib/accounts/actor';
import { recordAuditEvent } from '@/lib/audit/record';
import { AREA_ROLES } from '@/lib/auth/roles';
import { queueWhere } from './queue';
import { FORBIDDEN, type ReviewResult } from './result';
import { queueSearchParams, type QueueFilters } from './schema';
import { refuse } from '@/lib/refusal';
import { EDITOR_EXPORT_MAX_REPORTS, type EditorExportFormat, type EditorExportReport } from './export-format';

/**
 * The editors' export (issue 19 item 14): every report the moderation queue's filters match, with
 * every private field and its vehicle, goods and agency rows, for the newsroom's own analysis.
 * Editors and admins only (checked here against the database, inside the transaction that also
 * writes the audit row); every export is audited — who (the actor), when (the row's time), the
 * filter (as the queue's URL parameters) and how many reports. Formatting: ./export-format.ts.
 */

/** The refusal when the filter matches more than EDITOR_EXPORT_MAX_REPORTS reports (nothing audited). */
export const EXPORT_TOO_LARGE = refuse('invalid_input', 'desk.export.tooMany');

/**
 * Read the reports `filters` match (as the queue orders them: newest first by the filter's sort
 * time, then id) and record the export in the audit log, in one transaction.
 * @param format 'csv' | 'json', recorded in the audit row
 * @returns `{ ok: true, reports }`; `forbidden` unless the actor is an active editor or admin;
 *   `invalid_input` (desk.export.tooMany) when more than EDITOR_EXPORT_MAX_REPORTS match
 */
export function exportQueueReports({
  actor,
  filters,
  format,
}: {
  actor: Actor;
  filters: QueueFilters;
  format: EditorExportFormat;
}): ReviewResult<{ reports: EditorExportReport[] }> {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.editor)) return { ...FORBIDDEN };
    const found = readReports(tx, filters, actor.id);
    if (found.length > EDITOR_EXPORT_MAX_REPORTS) return { ...EXPORT_TOO_LARGE };
    recordAuditEvent(tx, {
      actorId: actor.id,
      kind: 'reports_exported',
      // The search words stay out: they are usually copied from report text, which the audit log
      // never holds (docs/security/README.md); that a search narrowed the export is kept.
      detail: { format, filter: Object.fromEntries(queueSearchParams({ ...filters, q: null })), ...(filters.q ? { searched: true } : {}), count: found.length },
    });
    return { ok: true as const, reports: found };
  });
}

function readReports(tx: Tx, filters: QueueFilters, actorId: number): EditorExportReport[] {
  const author = alias(accounts, 'author');
  const claimer = alias(accounts, 'claimer');
  const sortTime = filters.sort === 'observed' ? reports.observedFrom : reports.submittedAt;
  const rows = tx
    .select({
      id: reports.id,
      status: reports.status,
      version: reports.version,
      partnerId: reports.authorId,
      partnerCodeName: author.codeName,
      title: reports.title,
      narrative: reports.narrative,
      placeId: reports.placeId,
      placeNameEn: places.nameEn,
      placeNameKo: places.nameKo,
      placeDetail: reports.placeDetail,
      placePrecision: reports.placePrecision,
      observedFrom: sql<number | null>`${reports.observedFrom}`,
      observedTo: sql<number | null>`${reports.observedTo}`,
      timeZone: reports.timeZone,
      timeNote: reports.timeNote,
      sourceType: reports.sourceType,
      safetyNote: reports.safetyNote,
      sourceReliability: reports.sourceReliability,
      informationCredibility: reports.informationCredibility,
      gradeNote: reports.gradeNote,
      claimedByCodeName: claimer.codeName,
      claimedAt: sql<number | null>`${reports.claimedAt}`,
      submittedAt: sql<number | null>`${reports.submittedAt}`,
      createdAt: sql<number>`${reports.createdAt}`,
      updatedAt: sql<number>`${reports.updatedAt}`,
    })
    .from(reports)
    .innerJoin(author, eq(author.id, reports.authorId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedBy))
    .leftJoin(places, eq(places.id, reports.placeId))
    .where(queueWhere(filters, actorId))
    .orderBy(desc(sortTime), desc(reports.id))
    .limit(EDITOR_EXPORT_MAX_REPORTS + 1)
    .all();
  if (rows.length === 0 || rows.length > EDITOR_EXPORT_MAX_REPORTS) return rows.map((r) => ({ ...r, vehicles: [], goods: [], agencies: [] }));
  const ids = rows.map((r) => r.id);
  const vehicles = tx
    .select({ reportId: reportVehicles.reportId, vehicleType: reportVehicles.vehicleType, count: reportVehicles.count, isEstimate: reportVehicles.isEstimate, direction: reportVehicles.direction, colours: reportVehicles.colours, cargo: reportVehicles.cargo })
    .from(reportVehicles)
    .where(inArray(reportVehicles.reportId, ids))
    .orderBy(asc(reportVehicles.reportId), asc(reportVehicles.position))
    .all();
  const goods = tx
    .select({ reportId: reportGoods.reportId, categoryId: reportGoods.categoryId, categoryNameEn: goodsCategories.nameEn, description: reportGoods.description, direction: reportGoods.direction, quantity: reportGoods.quantity, unit: reportGoods.unit, value: reportGoods.value, currency: reportGoods.currency })
    .from(reportGoods)
    .leftJoin(goodsCategories, eq(goodsCategories.id, reportGoods.categoryId))
    .where(inArray(reportGoods.reportId, ids))
    .orderBy(asc(reportGoods.reportId), asc(reportGoods.position))
    .all();
  const agencyRows = tx
    .select({ reportId: reportAgencies.reportId, agencyId: reportAgencies.agencyId, agencyNameEn: agencies.nameEn, otherName: reportAgencies.otherName, role: reportAgencies.role, note: reportAgencies.note })
    .from(reportAgencies)
    .leftJoin(agencies, eq(agencies.id, reportAgencies.agencyId))
    .where(inArray(reportAgencies.reportId, ids))
    .orderBy(asc(reportAgencies.reportId), asc(reportAgencies.position))
    .all();
  const byReport = <T extends { reportId: number }>(list: T[]) => {
    const map = new Map<number, Omit<T, 'reportId'>[]>();
    for (const { reportId, ...rest } of list) {
      const entry = map.get(reportId) ?? [];
      entry.push(rest);
      map.set(reportId, entry);
    }
    return map;
  };
  const [v, g, a] = [byReport(vehicles), byReport(goods), byReport(agencyRows)];
  return rows.map((r) => ({ ...r, vehicles: v.get(r.id) ?? [], goods: g.get(r.id) ?? [], agencies: a.get(r.id) ?? [] }));
}
