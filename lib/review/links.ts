import 'server-only';
import { and, eq, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { writeTransaction, type DB, type Tx } from '@/db/client';
import { accounts, reportLinks, reports, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { bumpVersion } from '@/lib/lifecycle/transition';
import { findReportForActor } from '@/lib/lifecycle/access';
import { loadForEditorWrite, refuseNonEditor } from './guard';
import { refuse } from '@/lib/refusal';
import { NOT_FOUND, STALE, type ReviewResult } from './result';
import { collectReviewErrors, linkInputSchema, positiveInt } from './schema';

/**
 * Corroboration links (docs/product.md "Verification"): an editor links two reports as corroborating or
 * contradicting each other. A link is stored once (report_links, unique per ordered pair, and we
 * refuse the reverse pair too) and shown on BOTH review pages. Adding or removing a link is an
 * editor write on the report whose page it was made from: guarded by, and bumping, its version.
 */

type Reader = DB | Tx;

export type ReportLinkView = {
  linkId: number;
  kind: 'corroborates' | 'contradicts';
  /** The report at the other end, seen from the page's report. */
  other: { id: number; title: string; status: ReportStatus };
  /** True when the link was made from this report's page (stored as reportId → otherReportId). */
  isOutgoing: boolean;
  createdByCodeName: string;
  createdAt: Date;
};

/** Links of a report in both directions, oldest first. */
export function listReportLinks(reader: Reader, reportId: number): ReportLinkView[] {
  const other = alias(reports, 'other');
  const creator = alias(accounts, 'creator');
  const rows = reader
    .select({
      linkId: reportLinks.id,
      kind: reportLinks.kind,
      reportId: reportLinks.reportId,
      otherReportId: reportLinks.otherReportId,
      otherTitle: other.title,
      otherStatus: other.status,
      otherId: other.id,
      createdByCodeName: creator.codeName,
      createdAt: reportLinks.createdAt,
    })
    .from(reportLinks)
    .innerJoin(
      other,
      or(
        and(eq(reportLinks.reportId, reportId), eq(other.id, reportLinks.otherReportId)),
        and(eq(reportLinks.otherReportId, reportId), eq(other.id, reportLinks.reportId)),
      ),
    )
    .innerJoin(creator, eq(creator.id, reportLinks.createdBy))
    .where(or(eq(reportLinks.reportId, reportId), eq(reportLinks.otherReportId, reportId)))
    .orderBy(reportLinks.id)
    .all();
  return rows.map((r) => ({
    linkId: r.linkId,
    kind: r.kind,
    other: { id: r.otherId, title: r.otherTitle, status: r.otherStatus },
    isOutgoing: r.reportId === reportId,
    createdByCodeName: r.createdByCodeName,
    createdAt: r.createdAt,
  }));
}

/**
 * Link the report (whose page the editor is on) to another report.
 * @param input `{ otherReportId, kind: 'corroborates' | 'contradicts' }`
 * @returns `{ ok: true, linkId, version }`, or: forbidden; not_found (this report); invalid_input
 *   (review.errors.otherReportRequired, invalidLinkKind, selfLink, otherReportNotFound); stale;
 *   conflict (review.errors.alreadyLinked). Nothing written on refusal.
 */
export function linkReports({
  actor,
  reportId,
  version,
  input,
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  input: unknown;
}): ReviewResult<{ linkId: number; version: number }> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const parsed = linkInputSchema.safeParse(input);
  if (!parsed.success) {
    const { messageKey, fieldErrors } = collectReviewErrors(parsed.error.issues);
    return refuse('invalid_input', messageKey, fieldErrors);
  }
  const { otherReportId, kind } = parsed.data;
  const ver = positiveInt('review.errors.staleVersion').safeParse(version);
  if (!ver.success) return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };
  return writeTransaction((tx): ReviewResult<{ linkId: number; version: number }> => {
    const loaded = loadForEditorWrite(tx, { actor, reportId: id.data, version: ver.data });
    if (!loaded.ok) return loaded;
    if (otherReportId === loaded.report.id) {
      return refuse('invalid_input', 'review.errors.selfLink', { otherReportId: ['review.errors.selfLink'] });
    }
    if (!findReportForActor({ actor, reportId: otherReportId, tx })) {
      return refuse('invalid_input', 'review.errors.otherReportNotFound', { otherReportId: ['review.errors.otherReportNotFound'] });
    }
    const existing = tx
      .select({ id: reportLinks.id })
      .from(reportLinks)
      .where(
        or(
          and(eq(reportLinks.reportId, loaded.report.id), eq(reportLinks.otherReportId, otherReportId)),
          and(eq(reportLinks.reportId, otherReportId), eq(reportLinks.otherReportId, loaded.report.id)),
        ),
      )
      .get();
    if (existing) return refuse('conflict', 'review.errors.alreadyLinked', { otherReportId: ['review.errors.alreadyLinked'] });
    const now = new Date();
    const [link] = tx
      .insert(reportLinks)
      .values({ reportId: loaded.report.id, otherReportId, kind, createdBy: actor.id, createdAt: now })
      .returning({ id: reportLinks.id })
      .all();
    if (!link) throw new Error('link insert returned no row');
    const nextVersion = bumpVersion(tx, loaded.report, {}, now);
    return { ok: true, linkId: link.id, version: nextVersion };
  });
}

/**
 * Remove a corroboration link shown on the report's page (either direction).
 * @returns `{ ok: true, version }`, or forbidden / not_found (report or link) / stale.
 */
export function unlinkReports({
  actor,
  reportId,
  version,
  linkId,
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  linkId: unknown;
}): ReviewResult<{ version: number }> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  const link = positiveInt('review.errors.linkNotFound').safeParse(linkId);
  if (!id.success) return { ...NOT_FOUND };
  const ver = positiveInt('review.errors.staleVersion').safeParse(version);
  if (!ver.success) return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };
  return writeTransaction((tx): ReviewResult<{ version: number }> => {
    const loaded = loadForEditorWrite(tx, { actor, reportId: id.data, version: ver.data });
    if (!loaded.ok) return loaded;
    if (!link.success) return refuse('not_found', 'review.errors.linkNotFound');
    const removed = tx
      .delete(reportLinks)
      .where(
        and(
          eq(reportLinks.id, link.data),
          or(eq(reportLinks.reportId, loaded.report.id), eq(reportLinks.otherReportId, loaded.report.id)),
        ),
      )
      .run();
    if (removed.changes !== 1) return refuse('not_found', 'review.errors.linkNotFound');
    return { ok: true, version: bumpVersion(tx, loaded.report, {}, new Date()) };
  });
}
