import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb, type Tx } from '@/db/client';
import { agencies, goodsCategories, photos, places, publications, type ReportStatus } from '@/db/schema';
import { PLACE_COARSENINGS, TIME_COARSENINGS } from '@/db/enums';
import type { Actor } from '@/lib/accounts/actor';
import { canUseArea } from '@/lib/auth/roles';
import { findReportForActor } from '@/lib/lifecycle/access';
import { applyAction, type WorkflowAction } from '@/lib/lifecycle/workflow';
import { refuse, type Outcome, type Refusal } from '@/lib/refusal';
import { readReport } from '@/lib/reports/content';
import { findLeaks, publicTextFields, type LeakFlag, type PublishableRows } from './leak-check';
import { coarsenPlace, coarsenTime, type PlaceCoarsening, type PublicPeriod, type PublicPlace, type TimeCoarsening } from './coarsen';
import {
  buildSnapshot,
  defaultPublishChoices,
  publishedRowChoices,
  readStoredSnapshot,
  type PublicationSnapshot,
  type PublishChoices,
  type PublishingSource,
  type ReferenceNames,
} from './snapshot';

/**
 * The editor's read model of publishing (docs/product.md "Publishing", issue 5): what the publish
 * page shows (`getPublishingView`) and the preview of a publication (`previewPublication`), plus
 * the reads the writes in publish.ts share (the report as a publishing source, the reference
 * names, the existing publication). Reads only.
 *
 * Every function takes the acting account as an argument (so it is testable without a request) and
 * checks it here — a caller who may not see the report gets `not_found` — and decides the workflow
 * step with lib/lifecycle/workflow.ts `applyAction`.
 */

/** Why a publishing call was refused. Map: not_found → 404, forbidden → 403, the rest → the form. */
export type PublishErrorCode = 'not_found' | 'forbidden' | 'invalid_transition' | 'stale' | 'invalid';

/** A refusal (lib/refusal.ts); `messageKey` is an i18n key (namespaces `publishing` or `review`). Nothing was changed. */
export type PublishFailure = Refusal<PublishErrorCode>;

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
  /** Leak flags of the text the form starts from (lib/publishing/leak-check.ts). */
  leaks: LeakFlag[];
};

/** A report as a publishing source, with what the editor's page also needs of it. */
export type LoadedReport = PublishingSource & {
  id: number;
  status: ReportStatus;
  version: number;
  safetyNote: string;
  placeDetail: string;
};

type Reader = Tx | ReturnType<typeof getDb>;

/**
 * The report as publishing reads it (lib/reports/content.ts `readReport`, the one reader of a
 * report's rows): the fields a snapshot may be built from, each row with its `position`, agency
 * rows without their notes, and its photos (partner's caption, displayed size) in upload order.
 */
export function loadPublishingSource(db: Reader, reportId: number): LoadedReport | null {
  const report = readReport(db, reportId);
  if (!report) return null;
  const { content, rowKeys } = report;
  const position = (keys: { position: number }[], i: number) => keys[i]!.position;
  const photoRows = db
    .select({ id: photos.id, caption: photos.caption, width: photos.width, height: photos.height })
    .from(photos)
    .where(eq(photos.reportId, reportId))
    .orderBy(photos.id)
    .all();
  return {
    id: report.id,
    status: report.status,
    version: report.version,
    title: content.title,
    narrative: content.narrative,
    placeId: content.placeId,
    placeDetail: content.placeDetail,
    observedFrom: content.observedFrom,
    observedTo: content.observedTo,
    timeZone: content.timeZone,
    safetyNote: content.safetyNote,
    sourceReliability: report.sourceReliability ?? null,
    informationCredibility: report.informationCredibility ?? null,
    vehicles: content.vehicles.map((row, i) => ({ position: position(rowKeys.vehicles, i), ...row })),
    goods: content.goods.map((row, i) => ({ position: position(rowKeys.goods, i), ...row })),
    agencies: content.agencies.map((row, i) => ({ position: position(rowKeys.agencies, i), agencyId: row.agencyId, otherName: row.otherName, role: row.role })),
    photos: photoRows,
  };
}

/** The gazetteer, agencies and goods categories a snapshot takes names from. */
export function loadReferenceNames(db: Reader): ReferenceNames {
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

/** A report's publication (one per report), or undefined. */
export function loadPublication(db: Reader, reportId: number) {
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
export function firstPublishedAtOf(row: ReturnType<typeof loadPublication>): number | null {
  if (!row) return null;
  const snapshot = row.snapshot as Partial<PublicationSnapshot> | null;
  return typeof snapshot?.firstPublishedAt === 'number' ? snapshot.firstPublishedAt : row.publishedAt.getTime();
}

/** The refusal for a report the caller may not see (or that does not exist). */
export function notFound(): PublishFailure {
  return refuse('not_found', 'review.errors.notFound');
}

/** The workflow's answer to `action` on a report in `status` by `actor` (lib/lifecycle/workflow.ts). */
export function decide(actor: Actor, status: ReportStatus, action: WorkflowAction): Outcome<{ next: ReportStatus }, PublishErrorCode> {
  return applyAction({ status, role: actor.role, action });
}

/**
 * The publish page's data for `reportId` (any value: junk gives null), or null when `actor` may not
 * see the report (callers answer 404) or is not an editor or admin (callers answer 403 — the page
 * itself already required the editor area). Reads only.
 */
export function getPublishingView({ actor, reportId }: { actor: Actor; reportId: unknown }): PublishingView | null {
  if (!canUseArea(actor.role, 'editor')) return null;
  const access = findReportForActor({ actor, reportId });
  if (!access) return null;
  const db = getDb();
  const report = loadPublishingSource(db, access.id);
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
  const current = publication?.status === 'published' ? readStoredSnapshot(publication.snapshot) : null;
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
    leaks: leaksOf(names, defaults, report),
  };
}

/**
 * The leak flags of `choices`' public text — title, summary, the chosen rows' text and photo
 * captions (leak-check.ts publicTextFields) — against the whole gazetteer (retired places too).
 */
export function leaksOf(names: Pick<ReferenceNames, 'gazetteer' | 'agencies'>, choices: PublishChoices, rows: PublishableRows): LeakFlag[] {
  return findLeaks({
    fields: publicTextFields(choices, rows, new Set(names.agencies.map((agency) => agency.id))),
    gazetteer: names.gazetteer,
    placeCoarsening: choices.placeCoarsening,
    timeCoarsening: choices.timeCoarsening,
  });
}

/**
 * The leak flags (lib/publishing/leak-check.ts) of the public text in `choices` — what the publish
 * form shows next to each field after a post — or null when `actor` may not see the report or is
 * not an editor or admin. Reads only.
 */
export function checkPublicText({ actor, reportId, choices }: { actor: Actor; reportId: unknown; choices: PublishChoices }): LeakFlag[] | null {
  if (!canUseArea(actor.role, 'editor')) return null;
  const access = findReportForActor({ actor, reportId });
  if (!access) return null;
  const db = getDb();
  const report = loadPublishingSource(db, access.id);
  if (!report) return null;
  return leaksOf(loadReferenceNames(db), choices, report);
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
  const report = loadPublishingSource(db, access.id);
  if (!report) return notFound();
  const built = buildSnapshot({
    source: report,
    names: loadReferenceNames(db),
    choices,
    firstPublishedAt: firstPublishedAtOf(loadPublication(db, report.id)),
  });
  if (!built.ok) return refuse('invalid', built.messageKey, built.fieldErrors);
  return built;
}

