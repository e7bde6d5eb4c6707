import 'server-only';
import crypto from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import {
  agencies,
  goodsCategories,
  photos,
  places,
  publications,
  publishedAgencies,
  publishedGoods,
  publishedVehicles,
  reportAgencies,
  reportGoods,
  reports,
  reportVehicles,
  type ReportStatus,
  type Role,
} from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record';
import { findReportForActor } from '@/lib/lifecycle/access';
import { applyTransition } from '@/lib/lifecycle/transition';
import { applyAction, type WorkflowAction } from '@/lib/lifecycle/workflow';
import {
  coarsenPlace,
  coarsenTime,
  weekStartOf,
  type PlaceCoarsening,
  type PublicPeriod,
  type PublicPlace,
  type TimeCoarsening,
} from './coarsen';
import { markPublicDataChanged } from './public-cache';
import { PLACE_COARSENINGS, TIME_COARSENINGS } from '@/db/enums';
import {
  assignPhotoPublicIds,
  buildSnapshot,
  defaultPublishChoices,
  publishedRowChoices,
  type PublicationSnapshot,
  type PublishChoices,
  type PublishingSource,
  type ReferenceNames,
} from './snapshot';

/**
 * Publishing and retraction (docs/product.md "Publishing", issue 5): the editor's preview, the
 * publication of a verified report as a coarsened snapshot plus the observation rows behind lists,
 * statistics and exports, republishing, and retraction with a public reason.
 *
 * Every function takes the acting account as an argument (so it is testable without a request),
 * checks it here — a caller who may not see the report gets `not_found` — and decides the workflow
 * step with lib/lifecycle/workflow.ts `applyAction`. Writes happen in one write transaction with their
 * report_events row and audit event, guarded by `reports.version`.
 */

/** The acting account (from requireArea / getAccountWithRole). */
export type Actor = { id: number; role: Role };

/** Why a publishing call was refused. Map: not_found → 404, forbidden → 403, the rest → the form. */
export type PublishErrorCode = 'not_found' | 'forbidden' | 'invalid_transition' | 'stale' | 'invalid';

/** A refusal; `message` is an i18n key (namespaces `publishing` or `review`). Nothing was changed. */
export type PublishFailure = {
  ok: false;
  code: PublishErrorCode;
  message: string;
  fieldErrors?: Record<string, string[]>;
};

/** The existing publication of a report, as the editor's page shows it. */
export type PublicationInfo = {
  publicId: string;
  status: 'published' | 'retracted';
  publishedAt: number;
  retractedAt: number | null;
  retractionReason: string | null;
};

/** One choice of coarsening with what the public would see, for the publish form's options. */
export type PlaceOption = { choice: PlaceCoarsening; place: PublicPlace };
export type TimeOption = { choice: TimeCoarsening; period: PublicPeriod };

/**
 * What the editor's publish page needs: the report's publishable parts (for the checkboxes), the
 * partner's safety note and place detail (shown to the editor as warnings, never published), what
 * each coarsening option gives, the existing publication, and the version the form must carry.
 */
export type PublishingView = {
  reportId: number;
  status: ReportStatus;
  version: number;
  canPublish: boolean;
  canRetract: boolean;
  /** i18n key saying why publishing is not possible now (status), or null. */
  publishRefusal: string | null;
  isComplete: boolean;
  safetyNote: string;
  placeDetail: string;
  enteredPlace: PublicPlace | null;
  source: PublishingSource;
  defaults: PublishChoices;
  isGraded: boolean;
  placeOptions: PlaceOption[];
  timeOptions: TimeOption[];
  publication: PublicationInfo | null;
  names: Pick<ReferenceNames, 'agencies' | 'goodsCategories'>;
};

type LoadedReport = PublishingSource & {
  id: number;
  status: ReportStatus;
  version: number;
  safetyNote: string;
  placeDetail: string;
};

function loadReport(db: Tx | ReturnType<typeof getDb>, reportId: number): LoadedReport | null {
  const report = db
    .select({
      id: reports.id,
      status: reports.status,
      version: reports.version,
      title: reports.title,
      narrative: reports.narrative,
      placeId: reports.placeId,
      placeDetail: reports.placeDetail,
      observedFrom: reports.observedFrom,
      observedTo: reports.observedTo,
      timeZone: reports.timeZone,
      safetyNote: reports.safetyNote,
      sourceReliability: reports.sourceReliability,
      informationCredibility: reports.informationCredibility,
    })
    .from(reports)
    .where(eq(reports.id, reportId))
    .get();
  if (!report) return null;
  const vehicles = db
    .select({
      position: reportVehicles.position,
      vehicleType: reportVehicles.vehicleType,
      count: reportVehicles.count,
      isEstimate: reportVehicles.isEstimate,
      direction: reportVehicles.direction,
      colours: reportVehicles.colours,
      cargo: reportVehicles.cargo,
    })
    .from(reportVehicles)
    .where(eq(reportVehicles.reportId, reportId))
    .orderBy(asc(reportVehicles.position))
    .all();
  const goods = db
    .select({
      position: reportGoods.position,
      categoryId: reportGoods.categoryId,
      description: reportGoods.description,
      direction: reportGoods.direction,
      quantity: reportGoods.quantity,
      unit: reportGoods.unit,
      value: reportGoods.value,
      currency: reportGoods.currency,
    })
    .from(reportGoods)
    .where(eq(reportGoods.reportId, reportId))
    .orderBy(asc(reportGoods.position))
    .all();
  const agencyRows = db
    .select({
      position: reportAgencies.position,
      agencyId: reportAgencies.agencyId,
      otherName: reportAgencies.otherName,
      role: reportAgencies.role,
    })
    .from(reportAgencies)
    .where(eq(reportAgencies.reportId, reportId))
    .orderBy(asc(reportAgencies.position))
    .all();
  const photoRows = db
    .select({ id: photos.id, caption: photos.caption, width: photos.width, height: photos.height })
    .from(photos)
    .where(eq(photos.reportId, reportId))
    .orderBy(asc(photos.id))
    .all();
  return {
    ...report,
    observedFrom: report.observedFrom?.getTime() ?? null,
    observedTo: report.observedTo?.getTime() ?? null,
    sourceReliability: report.sourceReliability ?? null,
    informationCredibility: report.informationCredibility ?? null,
    vehicles,
    goods,
    agencies: agencyRows,
    photos: photoRows,
  };
}

function loadReferenceNames(db: Tx | ReturnType<typeof getDb>): ReferenceNames {
  return {
    gazetteer: db
      .select({
        id: places.id,
        kind: places.kind,
        country: places.country,
        parentId: places.parentId,
        nameEn: places.nameEn,
        nameKo: places.nameKo,
      })
      .from(places)
      .all(),
    agencies: db.select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo }).from(agencies).all(),
    goodsCategories: db
      .select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo })
      .from(goodsCategories)
      .all(),
  };
}

function loadPublication(db: Tx | ReturnType<typeof getDb>, reportId: number) {
  return db
    .select({
      id: publications.id,
      publicId: publications.publicId,
      status: publications.status,
      snapshot: publications.snapshot,
      publishedAt: publications.publishedAt,
      retractedAt: publications.retractedAt,
      retractionReason: publications.retractionReason,
    })
    .from(publications)
    .where(eq(publications.reportId, reportId))
    .get();
}

function toPublicationInfo(row: NonNullable<ReturnType<typeof loadPublication>>): PublicationInfo {
  return {
    publicId: row.publicId,
    status: row.status,
    publishedAt: row.publishedAt.getTime(),
    retractedAt: row.retractedAt?.getTime() ?? null,
    retractionReason: row.retractionReason ?? null,
  };
}

/** The first time a publication went public (kept across republishing), from its stored snapshot. */
function firstPublishedAtOf(row: ReturnType<typeof loadPublication>): number | null {
  if (!row) return null;
  const snapshot = row.snapshot as Partial<PublicationSnapshot> | null;
  return typeof snapshot?.firstPublishedAt === 'number' ? snapshot.firstPublishedAt : row.publishedAt.getTime();
}

function notFound(): PublishFailure {
  return { ok: false, code: 'not_found', message: 'review.errors.notFound' };
}

/** Access and workflow check shared by every entry point. */
function decide(
  actor: Actor,
  status: ReportStatus,
  action: WorkflowAction,
): { ok: true; next: ReportStatus } | PublishFailure {
  const decision = applyAction({ status, role: actor.role, action });
  if (decision.ok) return decision;
  return { ok: false, code: decision.code, message: decision.messageKey };
}

/**
 * The publish page's data for `reportId` (any value: junk gives null), or null when `actor` may not
 * see the report (callers answer 404) or is not an editor or admin (callers answer 403 — the page
 * itself already required the editor area). Reads only.
 */
export function getPublishingView({ actor, reportId }: { actor: Actor; reportId: unknown }): PublishingView | null {
  if (actor.role !== 'editor' && actor.role !== 'admin') return null;
  const access = findReportForActor({ actor, reportId });
  if (!access) return null;
  const db = getDb();
  const report = loadReport(db, access.id);
  if (!report) return null;
  const names = loadReferenceNames(db);
  const publication = loadPublication(db, report.id);
  const publishDecision = applyAction({ status: report.status, role: actor.role, action: 'publish' });
  const retractDecision = applyAction({ status: report.status, role: actor.role, action: 'retract' });
  const isComplete = report.placeId !== null && report.observedFrom !== null && report.observedTo !== null;
  const placeId = report.placeId;
  const hasPlace = placeId !== null && names.gazetteer.some((p) => p.id === placeId);

  // Republishing starts from what is public now; a first publication from the report itself.
  const defaults = defaultPublishChoices(report);
  const current = publication?.status === 'published' ? (publication.snapshot as PublicationSnapshot) : null;
  if (current) {
    defaults.title = current.title;
    defaults.summary = current.summary;
    defaults.placeCoarsening = current.placeCoarsening;
    defaults.timeCoarsening = current.period.choice;
    defaults.showGrading = current.grading !== null;
    defaults.photos = (current.photos ?? []).map((photo) => ({ id: photo.id, caption: photo.caption }));
    Object.assign(defaults, publishedRowChoices(report, current));
  }

  return {
    reportId: report.id,
    status: report.status,
    version: report.version,
    canPublish: publishDecision.ok && isComplete && hasPlace,
    canRetract: retractDecision.ok && publication?.status === 'published',
    publishRefusal: publishDecision.ok ? (isComplete && hasPlace ? null : 'publishing.errors.incomplete') : publishDecision.messageKey,
    isComplete,
    safetyNote: report.safetyNote,
    placeDetail: report.placeDetail,
    enteredPlace: hasPlace ? coarsenPlace({ gazetteer: names.gazetteer, placeId: placeId!, choice: 'as_entered' }) : null,
    source: {
      title: report.title,
      narrative: report.narrative,
      placeId: report.placeId,
      observedFrom: report.observedFrom,
      observedTo: report.observedTo,
      timeZone: report.timeZone,
      sourceReliability: report.sourceReliability,
      informationCredibility: report.informationCredibility,
      vehicles: report.vehicles,
      goods: report.goods,
      agencies: report.agencies,
      photos: report.photos,
    },
    defaults,
    isGraded: report.sourceReliability !== null && report.informationCredibility !== null,
    placeOptions: hasPlace
      ? PLACE_COARSENINGS.map((choice) => ({ choice, place: coarsenPlace({ gazetteer: names.gazetteer, placeId: placeId!, choice }) }))
      : [],
    timeOptions:
      report.observedFrom !== null && report.observedTo !== null
        ? TIME_COARSENINGS.map((choice) => ({
            choice,
            period: coarsenTime({
              observedFrom: report.observedFrom!,
              observedTo: report.observedTo!,
              timeZone: report.timeZone,
              choice,
            }),
          }))
        : [],
    publication: publication ? toPublicationInfo(publication) : null,
    names: { agencies: names.agencies, goodsCategories: names.goodsCategories },
  };
}

/**
 * Build the snapshot the public page would show if `actor` published `reportId` with `choices`
 * now — exactly what `publishReport` would store, without storing anything.
 * Returns `{ ok: true, snapshot }`, or a refusal: `not_found` (may not see it), `forbidden` (not an
 * editor or admin), `invalid_transition` (not verified or published), `invalid` (incomplete report,
 * unknown rows).
 */
export function previewPublication({
  actor,
  reportId,
  choices,
}: {
  actor: Actor;
  reportId: unknown;
  choices: PublishChoices;
}): { ok: true; snapshot: PublicationSnapshot } | PublishFailure {
  const access = findReportForActor({ actor, reportId });
  if (!access) return notFound();
  const decision = decide(actor, access.status, 'publish');
  if (!decision.ok) return decision;
  const db = getDb();
  const report = loadReport(db, access.id);
  if (!report) return notFound();
  const built = buildSnapshot({
    source: report,
    names: loadReferenceNames(db),
    choices,
    firstPublishedAt: firstPublishedAtOf(loadPublication(db, report.id)),
  });
  if (!built.ok) return { ok: false, code: 'invalid', message: built.message, fieldErrors: built.fieldErrors };
  return built;
}

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
 * is the publication time (defaults to the clock).
 *
 * Returns `{ ok: true, publicId, version, isRepublish }`, or a refusal that changed nothing:
 * `not_found`; `forbidden` (partners); `invalid_transition` (`review.errors.invalidTransition.publish`:
 * only verified or published reports); `stale` (`publishing.errors.staleVersion`: the report
 * changed since the page was opened); `invalid` (incomplete report, unknown rows).
 */
export function publishReport({
  actor,
  reportId,
  expectedVersion,
  choices,
  now = Date.now(),
}: {
  actor: Actor;
  reportId: unknown;
  expectedVersion: number;
  choices: PublishChoices;
  now?: number;
}): { ok: true; publicId: string; version: number; isRepublish: boolean } | PublishFailure {
  const result = writeTransaction((tx) => {
    const access = findReportForActor({ actor, reportId, tx });
    if (!access) return notFound();
    const decision = decide(actor, access.status, 'publish');
    if (!decision.ok) return decision;
    if (access.version !== expectedVersion) {
      return { ok: false as const, code: 'stale' as const, message: 'publishing.errors.staleVersion' };
    }
    const report = loadReport(tx, access.id);
    if (!report) return notFound();
    const existing = loadPublication(tx, report.id);
    const isRepublish = existing !== undefined;
    const firstPublishedAt = firstPublishedAtOf(existing) ?? now;
    const built = buildSnapshot({ source: report, names: loadReferenceNames(tx), choices, firstPublishedAt });
    if (!built.ok) {
      return { ok: false as const, code: 'invalid' as const, message: built.message, fieldErrors: built.fieldErrors };
    }
    // The report's step first: applyTransition writes nothing when it refuses (checked above, so it does not).
    const step = applyTransition(tx, { actor, report: access, action: 'publish', now });
    if (!step.ok) return { ok: false as const, code: step.code, message: step.messageKey };
    // Photos public now keep their public ids; every other chosen photo gets a fresh one (snapshot.ts).
    const current = existing?.status === 'published' ? (existing.snapshot as PublicationSnapshot) : null;
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
 * no grading) at the report's current version — what the demo seed does for demo report 1, as an
 * editor who changes nothing would. Same results as `publishReport`.
 */
export function publishReportWithDefaults({
  actor,
  reportId,
  now,
}: {
  actor: Actor;
  reportId: unknown;
  now?: number;
}): ReturnType<typeof publishReport> {
  const access = findReportForActor({ actor, reportId });
  if (!access) return notFound();
  const report = loadReport(getDb(), access.id);
  if (!report) return notFound();
  return publishReport({ actor, reportId: access.id, expectedVersion: access.version, choices: defaultPublishChoices(report), now });
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
      return { ok: false as const, code: 'stale' as const, message: 'publishing.errors.staleVersion' };
    }
    if (trimmed === '') {
      return {
        ok: false as const,
        code: 'invalid' as const,
        message: 'publishing.errors.reasonRequired',
        fieldErrors: { reason: ['publishing.errors.reasonRequired'] },
      };
    }
    const publication = loadPublication(tx, access.id);
    if (!publication || publication.status !== 'published') {
      return { ok: false as const, code: 'invalid_transition' as const, message: 'review.errors.invalidTransition.retract' };
    }
    const step = applyTransition(tx, { actor, report: access, action: 'retract', note: trimmed, now });
    if (!step.ok) return { ok: false as const, code: step.code, message: step.messageKey };
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
