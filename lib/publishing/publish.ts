import 'server-only';
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import { publications, publishedAgencies, publishedGoods, publishedVehicles } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { recordAuditEvent } from '@/lib/audit/record';
import { findReportForActor } from '@/lib/lifecycle/access';
import { applyTransition } from '@/lib/lifecycle/transition';
import { refuse } from '@/lib/refusal';
import { weekStartOf } from './coarsen';
import { unconfirmedLeaks } from './leak-check';
import {
  decide,
  firstPublishedAtOf,
  leaksOf,
  loadPublication,
  loadPublishingSource,
  loadReferenceNames,
  notFound,
  type PublishFailure,
} from './editor-view';
import { markPublicDataChanged } from './public-cache';
import { assignPhotoPublicIds, buildSnapshot, defaultPublishChoices, readStoredSnapshot, type PublicationSnapshot, type PublishChoices } from './snapshot';

/**
 * Publishing and retraction, the writes (docs/product.md "Publishing", issue 5): the publication of
 * a verified report as a coarsened snapshot plus the observation rows behind lists, statistics and
 * exports, republishing, and retraction with a public reason. What the editor's page reads, and
 * the preview: editor-view.ts.
 *
 * Every function takes the acting account as an argument (so it is testable without a request),
 * checks it here — a caller who may not see the report gets `not_found` — and decides the workflow
 * step with lib/lifecycle/workflow.ts `applyAction`. Writes happen in one write transaction with
 * their report_events row (lib/lifecycle/transition.ts `applyTransition`) and audit event, guarded
 * by `reports.version`.
 */

/**
 * A random URL-safe public id, unrelated to any internal id: 16 base64url characters whose first
 * character is a letter or a digit. Ids are drawn from 12 random bytes and drawn again when the
 * first character would be `-` or `_` (1 draw in 32), so every id is equally likely among the
 * 62 × 64^15 allowed ones: log2(62) + 15 × 6 ≈ 95.95 bits of entropy. A leading letter or digit
 * keeps the id out of the CSV formula guard (`toCsvCell` prefixes `'` to text starting with
 * = + - @ tab or CR), so the CSV, the JSON export and the URLs carry the same id byte for byte.
 * Ids made before this rule (which may start with `-` or `_`) stay valid: the routes still accept
 * any 16 base64url characters.
 */
export function newPublicId(): string {
  for (;;) {
    const id = crypto.randomBytes(12).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

/**
 * Publish (or republish) a report: in one write transaction, upsert its publication (snapshot,
 * public id — kept on republish —, coarsened place id and period), replace its published vehicle,
 * goods and agency rows with the rows the editor picked (the photos the editor picked, with their
 * approved captions, go into the snapshot only, each with a random public id — kept for a photo
 * that stays public, fresh for any other: `assignPhotoPublicIds`; vehicle rows carry `weekStart` =
 * `weekStartOf(period start)`, so statistics are never finer than the published period), set the
 * report to `published` and bump its version, and append the report_events row (action 'publish')
 * and an audit event ('report_published', ids only).
 *
 * `expectedVersion` is the `reports.version` the editor's page was rendered with. `now` (UTC ms)
 * is the publication time (defaults to the clock). `confirmedLeaks`: the keys of the leak flags the
 * editor confirmed (lib/publishing/leak-check.ts); the public text is checked again here, against
 * the gazetteer in the transaction, and any flag not confirmed refuses the publication.
 *
 * Returns `{ ok: true, publicId, version, isRepublish }`, or a refusal that changed nothing:
 * `not_found`; `forbidden` (partners); `invalid_transition` (`review.errors.invalidTransition.publish`:
 * only verified or published reports); `stale` (`publishing.errors.staleVersion`: the report
 * changed since the page was opened); `invalid` (incomplete report, unknown rows;
 * `publishing.errors.unconfirmedLeaks` with a field error `publishing.errors.leakUnconfirmed` on
 * each field that still has an unconfirmed flag).
 */
export function publishReport({
  actor,
  reportId,
  expectedVersion,
  choices,
  confirmedLeaks = [],
  now = Date.now(),
}: {
  actor: Actor;
  reportId: unknown;
  expectedVersion: number;
  choices: PublishChoices;
  confirmedLeaks?: readonly string[];
  now?: number;
}): { ok: true; publicId: string; version: number; isRepublish: boolean } | PublishFailure {
  const result = writeTransaction((tx) => {
    const access = findReportForActor({ actor, reportId, tx });
    if (!access) return notFound();
    const decision = decide(actor, access.status, 'publish');
    if (!decision.ok) return decision;
    if (access.version !== expectedVersion) {
      return refuse('stale', 'publishing.errors.staleVersion');
    }
    const report = loadPublishingSource(tx, access.id);
    if (!report) return notFound();
    const existing = loadPublication(tx, report.id);
    const isRepublish = existing !== undefined;
    const firstPublishedAt = firstPublishedAtOf(existing) ?? now;
    const names = loadReferenceNames(tx);
    const built = buildSnapshot({ source: report, names, choices, firstPublishedAt });
    if (!built.ok) {
      return refuse('invalid', built.messageKey, built.fieldErrors);
    }
    const unconfirmed = unconfirmedLeaks(leaksOf(names, choices, report), confirmedLeaks);
    if (unconfirmed.length > 0) {
      const fieldErrors = Object.fromEntries(unconfirmed.map((flag) => [flag.field, ['publishing.errors.leakUnconfirmed']]));
      return refuse('invalid', 'publishing.errors.unconfirmedLeaks', fieldErrors);
    }
    // The report's step first: applyTransition writes nothing when it refuses (checked above, so it does not).
    const step = applyTransition(tx, { actor, report: access, action: 'publish', now });
    if (!step.ok) return refuse(step.code, step.messageKey);
    // Photos public now keep their public ids; every other chosen photo gets a fresh one (snapshot.ts).
    const current = existing?.status === 'published' ? readStoredSnapshot(existing.snapshot) : null;
    const snapshot = assignPhotoPublicIds(built.snapshot, current, newPublicId);

    let publicationId: number;
    let publicId: string;
    const values = {
      status: 'published' as const,
      snapshot,
      placeId: snapshot.place.id,
      periodStart: new Date(snapshot.period.start),
      periodEnd: new Date(snapshot.period.end),
      publishedAt: new Date(now),
      publishedBy: actor.id,
      retractedAt: null,
      retractionReason: null,
    };
    if (existing) {
      publicationId = existing.id;
      publicId = existing.publicId;
      tx.update(publications).set(values).where(eq(publications.id, existing.id)).run();
      tx.delete(publishedVehicles).where(eq(publishedVehicles.publicationId, publicationId)).run();
      tx.delete(publishedGoods).where(eq(publishedGoods.publicationId, publicationId)).run();
      tx.delete(publishedAgencies).where(eq(publishedAgencies.publicationId, publicationId)).run();
    } else {
      publicId = newPublicId();
      const inserted = tx
        .insert(publications)
        .values({ ...values, reportId: report.id, publicId })
        .returning({ id: publications.id })
        .all();
      publicationId = inserted[0]!.id;
    }

    const weekStart = new Date(weekStartOf(snapshot.period.start, snapshot.period.timeZone));
    if (snapshot.vehicles.length > 0) {
      tx.insert(publishedVehicles)
        .values(
          snapshot.vehicles.map((row) => ({
            publicationId,
            weekStart,
            vehicleType: row.vehicleType,
            direction: row.direction,
            count: row.count,
            isEstimate: row.isEstimate,
            colours: row.colours,
            cargo: row.cargo,
          })),
        )
        .run();
    }
    if (snapshot.goods.length > 0) {
      tx.insert(publishedGoods)
        .values(
          snapshot.goods.map((row) => ({
            publicationId,
            categoryId: row.categoryId,
            direction: row.direction,
            description: row.description,
            quantity: row.quantity,
            unit: row.unit,
            value: row.value,
            currency: row.currency,
          })),
        )
        .run();
    }
    if (snapshot.agencies.length > 0) {
      tx.insert(publishedAgencies)
        .values(snapshot.agencies.map((row) => ({ publicationId, agencyId: row.agencyId, name: row.nameEn, role: row.role })))
        .run();
    }

    recordAuditEvent(tx, {
      actorId: actor.id,
      kind: 'report_published',
      detail: { reportId: report.id, publicId, republish: isRepublish },
    });
    return { ok: true as const, publicId, version: step.version, isRepublish };
  });
  if (result.ok) markPublicDataChanged();
  return result;
}

/**
 * Publish with the default choices (the report's title and narrative, every row, province, day,
 * no grading) at the report's current version — as an editor who changes nothing would — except
 * for the choices in `overrides` (the demo seed gives demo report 1 a title that keeps its
 * partner's safety note). Same results as `publishReport`.
 */
export function publishReportWithDefaults({
  actor,
  reportId,
  now,
  overrides = {},
}: {
  actor: Actor;
  reportId: unknown;
  now?: number;
  overrides?: Partial<PublishChoices>;
}): ReturnType<typeof publishReport> {
  const access = findReportForActor({ actor, reportId });
  if (!access) return notFound();
  const report = loadPublishingSource(getDb(), access.id);
  if (!report) return notFound();
  return publishReport({ actor, reportId: access.id, expectedVersion: access.version, choices: { ...defaultPublishChoices(report), ...overrides }, now });
}

/**
 * Give a public id to every photo of a live publication whose snapshot has none (snapshots stored
 * before issue 16 item 12 named photos by `photos.id` only; their photos are not served to readers
 * until they have one). Idempotent; one write transaction; called at server start and hourly
 * (lib/publishing/maintenance.ts). No report_events or audit row: nothing an editor chose changes, and
 * the publication's `publishedAt` is kept.
 * @returns how many publications were given ids.
 */
export function assignMissingPhotoPublicIds(): { updated: number } {
  const lacking = (db: Tx | ReturnType<typeof getDb>) =>
    db
      .select({ id: publications.id, snapshot: publications.snapshot })
      .from(publications)
      .where(
        and(
          eq(publications.status, 'published'),
          sql`exists (select 1 from json_each(${publications.snapshot}, '$.photos') as photo where json_type(photo.value, '$.publicId') is null)`,
        ),
      )
      .all();
  // Looked for outside the write lock first: after the first run there is nothing to do.
  if (lacking(getDb()).length === 0) return { updated: 0 };
  const updated = writeTransaction((tx) => {
    const rows = lacking(tx);
    for (const row of rows) {
      const snapshot = row.snapshot as PublicationSnapshot;
      tx.update(publications)
        .set({ snapshot: assignPhotoPublicIds(snapshot, snapshot, newPublicId) })
        .where(eq(publications.id, row.id))
        .run();
    }
    return rows.length;
  });
  if (updated > 0) markPublicDataChanged();
  return { updated };
}

/**
 * Retract a published report: its publication becomes 'retracted' with `retractedAt` (= `now`,
 * UTC ms) and the public `reason`, so its URL keeps a notice while lists, statistics, exports and
 * the feed drop it (they read only publications with status 'published'); the report becomes
 * `retracted` (final, lib/lifecycle/workflow.ts) with its version bumped, a report_events row
 * (action 'retract', the reason as note) and an audit event ('report_retracted').
 *
 * `reason` must already be validated (non-empty, see publish-choices.ts); an empty one is refused
 * as `invalid` (`publishing.errors.reasonRequired`). Other refusals as `publishReport`.
 */
export function retractReport({
  actor,
  reportId,
  expectedVersion,
  reason,
  now = Date.now(),
}: {
  actor: Actor;
  reportId: unknown;
  expectedVersion: number;
  reason: string;
  now?: number;
}): { ok: true; publicId: string; version: number } | PublishFailure {
  const trimmed = reason.trim();
  const result = writeTransaction((tx) => {
    const access = findReportForActor({ actor, reportId, tx });
    if (!access) return notFound();
    const decision = decide(actor, access.status, 'retract');
    if (!decision.ok) return decision;
    if (access.version !== expectedVersion) {
      return refuse('stale', 'publishing.errors.staleVersion');
    }
    if (trimmed === '') {
      return refuse('invalid', 'publishing.errors.reasonRequired', { reason: ['publishing.errors.reasonRequired'] });
    }
    const publication = loadPublication(tx, access.id);
    if (!publication || publication.status !== 'published') {
      return refuse('invalid_transition', 'review.errors.invalidTransition.retract');
    }
    const step = applyTransition(tx, { actor, report: access, action: 'retract', note: trimmed, now });
    if (!step.ok) return refuse(step.code, step.messageKey);
    tx.update(publications)
      .set({ status: 'retracted', retractedAt: new Date(now), retractionReason: trimmed })
      .where(eq(publications.id, publication.id))
      .run();
    recordAuditEvent(tx, { actorId: actor.id, kind: 'report_retracted', detail: { reportId: access.id, publicId: publication.publicId } });
    return { ok: true as const, publicId: publication.publicId, version: step.version };
  });
  if (result.ok) markPublicDataChanged();
  return result;
}
