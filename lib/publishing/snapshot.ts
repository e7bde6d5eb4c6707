/**
 * The publication snapshot: exactly what the public page, the lists, the exports and the feed show
 * of a report, built once when an editor publishes (docs/product.md "Publishing": "Publishing creates a
 * snapshot; later edits are not public until republished"). Pure — no database, no clock — so the
 * editor's preview and the stored publication are made by the same function.
 *
 * What a snapshot never holds (docs/product.md "Qualities", issue 5): the partner's code name or any
 * account id, the safety note, the place detail, the time note, times finer than the chosen
 * precision, internal report or row ids, agency-row notes, grade notes, messages. It is built from
 * an allow-list of fields, so a new report column cannot leak into it by accident.
 *
 * One exception to "no internal ids": the photos an editor chose keep their `photos.id`, which
 * ties a public photo to its file and lets a republish start from the same choices. It is never
 * shown: readers see a photo at `/photos/<publicId>`, a random id given at publication time
 * (`assignPhotoPublicIds`; issue 16 item 12, lib/photos/README.md "Public photo ids"), and the
 * public page strips `id` before rendering (`toPublicPhotos`). The serving route shows a photo to
 * the public only while it is listed in a publication whose status is 'published'.
 */
import { Temporal } from 'temporal-polyfill';
import type {
  AgencyRole,
  Currency,
  Direction,
  INFORMATION_CREDIBILITIES,
  SOURCE_RELIABILITIES,
  TimeZoneName,
  VehicleType,
} from '@/db/enums';
import {
  attributionFor,
  coarsenPlace,
  coarsenTime,
  DEFAULT_PLACE_COARSENING,
  DEFAULT_TIME_COARSENING,
  type GazetteerPlace,
  type PlaceCoarsening,
  type PublicPeriod,
  type PublicPlace,
  type TimeCoarsening,
} from './coarsen';
import { refusal, type Outcome } from '@/lib/refusal';
import { inLanguageOf, upgradeSnapshotTexts, type LocalisedText } from './languages';
import { PUBLICATION_LIMITS } from './limits';

export type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];
export type InformationCredibility = (typeof INFORMATION_CREDIBILITIES)[number];

export { PUBLICATION_LIMITS };

/** One public vehicle-sighting row. */
export type PublicVehicleRow = {
  vehicleType: VehicleType;
  count: number;
  isEstimate: boolean;
  direction: Direction;
  colours: string;
  cargo: string;
};

/** One public goods row, with the category's names as they were when published. */
export type PublicGoodsRow = {
  categoryId: string;
  categoryNameEn: string;
  categoryNameKo: string;
  description: string;
  direction: Direction;
  quantity: number | null;
  unit: string | null;
  value: number | null;
  currency: Currency | null;
};

/** One public agency row. `agencyId` null = an agency not in the managed list (named as typed). */
export type PublicAgencyRow = {
  agencyId: string | null;
  nameEn: string;
  nameKo: string;
  role: AgencyRole;
};

/**
 * One published photo: its internal id (`photos.id`, never shown to readers), its public id (served
 * at `/photos/<publicId>`: 16 base64url characters from `newPublicId`, not derived from `id`), the
 * caption the editor approved (never the partner's unless the editor kept it), and its displayed
 * size in pixels. `publicId` is missing in previews (nothing is public yet) and in snapshots stored
 * before issue 16 until `assignMissingPhotoPublicIds` (publish.ts) has given them one.
 */
export type PublicPhoto = { id: number; publicId?: string; caption: string; width: number; height: number };

/**
 * Give each photo of a snapshot about to be stored its public id (issue 16 item 12; the decision is
 * in lib/photos/README.md "Public photo ids"): a photo that is public now — listed with an id in
 * `current`, the snapshot of a publication whose status is 'published' — keeps that id, so links
 * to it keep working across a republish; any other photo (a first publication, a photo added, a
 * photo that was withdrawn and is chosen again, anything after a retraction) gets a fresh one from
 * `newId`, so a URL that once stopped answering never answers again. Pure: returns a new snapshot.
 * @param current the live publication's snapshot, or null when there is none or it is retracted.
 */
export function assignPhotoPublicIds(
  snapshot: PublicationSnapshot,
  current: Pick<PublicationSnapshot, 'photos'> | null,
  newId: () => string,
): PublicationSnapshot {
  const kept = new Map((current?.photos ?? []).flatMap((photo) => (typeof photo.publicId === 'string' ? [[photo.id, photo.publicId] as const] : [])));
  const used = new Set<string>();
  const photos = (snapshot.photos ?? []).map((photo) => {
    let publicId = kept.get(photo.id);
    while (publicId === undefined || used.has(publicId)) publicId = newId();
    used.add(publicId);
    return { ...photo, publicId };
  });
  return { ...snapshot, photos };
}

/**
 * The snapshot stored in `publications.snapshot` (JSON). `period` carries the report's IANA zone
 * so exports can write local boundaries with their offset; `firstPublishedAt` (UTC ms) survives
 * republishing, while `publications.publishedAt` is the latest publication.
 * Version 2 (issue 19): `title` and `summary` in English and Korean (lib/publishing/languages.ts);
 * version 1 held one string each, read back with `upgradeSnapshotTexts`.
 */
export type PublicationSnapshot = {
  version: 2;
  /** At least one language is not empty. */
  title: LocalisedText;
  summary: LocalisedText;
  place: PublicPlace;
  placeCoarsening: PlaceCoarsening;
  attribution: { en: string; ko: string };
  /** `startLocal` / `endLocal`: the boundaries as `localIso` writes them (stored, not recomputed per export). */
  period: PublicPeriod & { timeZone: TimeZoneName; startLocal: string; endLocal: string };
  grading: { sourceReliability: SourceReliability; informationCredibility: InformationCredibility } | null;
  vehicles: PublicVehicleRow[];
  goods: PublicGoodsRow[];
  agencies: PublicAgencyRow[];
  /** Photos the editor chose, in upload order. Missing in snapshots made before photos existed. */
  photos?: PublicPhoto[];
  firstPublishedAt: number | null;
};

/**
 * A snapshot as stored (`publications.snapshot`, JSON), in today's shape: version 1 (one title and
 * summary) is read as version 2 with its texts in the language of its title (`upgradeSnapshotTexts`,
 * docs/decisions/0011-public-text-in-two-languages.md). Throws on anything that is not a snapshot
 * (corrupt data is a bug, not user input).
 */
export function readStoredSnapshot(value: unknown): PublicationSnapshot {
  const version = value && typeof value === 'object' ? (value as { version?: unknown }).version : undefined;
  if (version !== 1 && version !== 2) throw new Error('Unreadable publication snapshot');
  const stored = value as Omit<PublicationSnapshot, 'version' | 'title' | 'summary'> & { title?: unknown; summary?: unknown };
  return { ...stored, version: 2, ...upgradeSnapshotTexts(stored) };
}

/**
 * A UTC instant as ISO 8601 on the local clock of `timeZone` (IANA) with its offset, to the
 * minute — e.g. 2018-07-12T00:00+09:00 — so a period boundary reads as the local midnight it is.
 * Throws a RangeError for an unknown zone.
 */
export function localIso(epochMs: number, timeZone: string): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return `${zoned.toPlainDateTime().toString({ smallestUnit: 'minute' })}${zoned.offset}`;
}

/** The editor's choices on the publish form (already validated, see publish-choices.ts). */
export type PublishChoices = {
  /** Public title in English and Korean: either may be '', not both. */
  title: LocalisedText;
  /** Public summary in English and Korean: either or both may be ''. */
  summary: LocalisedText;
  placeCoarsening: PlaceCoarsening;
  timeCoarsening: TimeCoarsening;
  showGrading: boolean;
  /** Positions (`position` column) of the report's rows that go public. */
  vehicleRows: number[];
  goodsRows: number[];
  agencyRows: number[];
  /**
   * Photos that go public (`photos.id`) with the caption the editor approved for each. Missing or
   * empty: no photo is published.
   */
  photos?: { id: number; caption: string }[];
};

/** What building a snapshot needs of a report (loaded by the data layer; never public as a whole). */
export type PublishingSource = {
  title: string;
  narrative: string;
  placeId: string | null;
  observedFrom: number | null;
  observedTo: number | null;
  timeZone: TimeZoneName;
  sourceReliability: SourceReliability | null;
  informationCredibility: InformationCredibility | null;
  vehicles: (PublicVehicleRow & { position: number })[];
  goods: {
    position: number;
    categoryId: string;
    description: string;
    direction: Direction;
    quantity: number | null;
    unit: string | null;
    value: number | null;
    currency: Currency | null;
  }[];
  agencies: { position: number; agencyId: string | null; otherName: string | null; role: AgencyRole }[];
  /** The report's photos (partner's caption, displayed size); missing means none. */
  photos?: { id: number; caption: string; width: number; height: number }[];
};

/** Reference lists the snapshot takes names from. */
export type ReferenceNames = {
  gazetteer: readonly GazetteerPlace[];
  agencies: readonly { id: string; nameEn: string; nameKo: string }[];
  goodsCategories: readonly { id: string; nameEn: string; nameKo: string }[];
};

/**
 * The choices an editor starts from: the report's title and narrative (in the language they were
 * written in, `inLanguageOf`: Korean when the title holds Hangul), every row, place coarsened
 * to its province and time to the day (docs/product.md defaults), grading not shown, no photo (an
 * editor ticks each photo that goes public: photos are the riskiest part). `publishReport`
 * with these choices is what the demo seed does for demo report 1.
 */
export function defaultPublishChoices(source: Pick<PublishingSource, 'title' | 'narrative' | 'vehicles' | 'goods' | 'agencies'>): PublishChoices {
  return {
    title: inLanguageOf(source.title.slice(0, PUBLICATION_LIMITS.titleMaxChars)),
    summary: inLanguageOf(source.narrative.slice(0, PUBLICATION_LIMITS.summaryMaxChars), source.title),
    placeCoarsening: DEFAULT_PLACE_COARSENING,
    timeCoarsening: DEFAULT_TIME_COARSENING,
    showGrading: false,
    vehicleRows: source.vehicles.map((row) => row.position),
    goodsRows: source.goods.map((row) => row.position),
    agencyRows: source.agencies.map((row) => row.position),
    photos: [],
  };
}

/**
 * Which of the report's rows are public in `snapshot`, as positions: the row choices a republish
 * starts from, so rows the editor withheld stay withheld unless they are ticked again. The snapshot
 * keeps no positions (it is the public text), so rows are matched by their public content, each
 * snapshot row to at most one report row, in report order. A row edited since publication matches
 * nothing and starts unticked: when in doubt, a row stays out.
 */
export function publishedRowChoices(
  source: Pick<PublishingSource, 'vehicles' | 'goods' | 'agencies'>,
  snapshot: Pick<PublicationSnapshot, 'vehicles' | 'goods' | 'agencies'>,
): Pick<PublishChoices, 'vehicleRows' | 'goodsRows' | 'agencyRows'> {
  const matching = <S extends { position: number }, P>(rows: readonly S[], published: readonly P[], keyOfSource: (row: S) => unknown[], keyOfPublished: (row: P) => unknown[]) => {
    const left = new Map<string, number>();
    for (const row of published) {
      const key = JSON.stringify(keyOfPublished(row));
      left.set(key, (left.get(key) ?? 0) + 1);
    }
    const positions: number[] = [];
    for (const row of rows) {
      const key = JSON.stringify(keyOfSource(row));
      const n = left.get(key) ?? 0;
      if (n > 0) {
        positions.push(row.position);
        left.set(key, n - 1);
      }
    }
    return positions;
  };
  const vehicleKey = (r: PublicVehicleRow) => [r.vehicleType, r.count, r.isEstimate, r.direction, r.colours, r.cargo];
  const goodsKey = (r: { categoryId: string; description: string; direction: Direction; quantity: number | null; unit: string | null; value: number | null; currency: Currency | null }) => [
    r.categoryId, r.description, r.direction, r.quantity, r.unit, r.value, r.currency,
  ];
  return {
    vehicleRows: matching(source.vehicles, snapshot.vehicles, vehicleKey, vehicleKey),
    goodsRows: matching(source.goods, snapshot.goods, goodsKey, goodsKey),
    agencyRows: matching(
      source.agencies,
      snapshot.agencies,
      (r) => (r.agencyId !== null ? ['listed', r.agencyId, r.role] : ['other', (r.otherName ?? '').trim(), r.role]),
      (r) => (r.agencyId !== null ? ['listed', r.agencyId, r.role] : ['other', r.nameEn, r.role]),
    ),
  };
}

/** `{ ok: true, snapshot }` or a refusal (lib/refusal.ts) with a `publishing` message key. */
export type BuildSnapshotResult = Outcome<{ snapshot: PublicationSnapshot }, never, PublishingMessageKey>;

/** i18n keys of the publishing namespace (lib/i18n/messages/<locale>/publishing.json). */
export type PublishingMessageKey = `publishing.${string}`;

/**
 * Build the public snapshot of a report from the editor's choices. Pure and deterministic: the
 * same inputs give the same snapshot, so the preview is exactly what gets published.
 *
 * - place: `coarsenPlace` at `choices.placeCoarsening` (never the place detail);
 * - period: `coarsenTime` at `choices.timeCoarsening` in the report's zone (never the time note);
 * - rows: only the positions the editor picked, in report order; agency-row notes are left out;
 *   goods category and agency names are copied in English and Korean so the page keeps reading
 *   the same if a reference list changes later;
 * - grading: only when `showGrading` and the report is graded;
 * - photos: only the ids the editor picked, in the report's order, each with the caption from
 *   `choices` (the editor-approved one, never silently the partner's).
 *
 * Errors (values, not throws): `publishing.errors.incomplete` when the report has no place or no
 * observed times; `publishing.errors.unknownRow` (fieldErrors on vehicleRows / goodsRows /
 * agencyRows / photos) when a picked position or photo is not one of the report's. Coarsening's own RangeErrors
 * (unknown place or zone: corrupt data) are thrown.
 */
export function buildSnapshot({
  source,
  names,
  choices,
  firstPublishedAt,
}: {
  source: PublishingSource;
  names: ReferenceNames;
  choices: PublishChoices;
  firstPublishedAt: number | null;
}): BuildSnapshotResult {
  if (source.placeId === null || source.observedFrom === null || source.observedTo === null) {
    return refusal('publishing.errors.incomplete');
  }
  const fieldErrors: Record<string, PublishingMessageKey[]> = {};
  const pick = <T extends { position: number }>(rows: readonly T[], positions: readonly number[], field: string): T[] => {
    const wanted = new Set(positions);
    const known = new Set(rows.map((row) => row.position));
    if ([...wanted].some((position) => !known.has(position))) fieldErrors[field] = ['publishing.errors.unknownRow'];
    return rows.filter((row) => wanted.has(row.position)).sort((a, b) => a.position - b.position);
  };
  const vehicles = pick(source.vehicles, choices.vehicleRows, 'vehicleRows');
  const goods = pick(source.goods, choices.goodsRows, 'goodsRows');
  const agencies = pick(source.agencies, choices.agencyRows, 'agencyRows');
  const approvedCaptions = new Map((choices.photos ?? []).map((photo) => [photo.id, photo.caption]));
  const reportPhotos = source.photos ?? [];
  if ([...approvedCaptions.keys()].some((id) => !reportPhotos.some((photo) => photo.id === id))) {
    fieldErrors.photos = ['publishing.errors.unknownRow'];
  }
  const photos = reportPhotos
    .filter((photo) => approvedCaptions.has(photo.id))
    .map((photo) => ({ id: photo.id, caption: approvedCaptions.get(photo.id) ?? '', width: photo.width, height: photo.height }));
  if (Object.keys(fieldErrors).length > 0) return refusal('publishing.errors.unknownRow', fieldErrors);

  const place = coarsenPlace({ gazetteer: names.gazetteer, placeId: source.placeId, choice: choices.placeCoarsening });
  const period = coarsenTime({
    observedFrom: source.observedFrom,
    observedTo: source.observedTo,
    timeZone: source.timeZone,
    choice: choices.timeCoarsening,
  });
  const categoryNames = new Map(names.goodsCategories.map((c) => [c.id, c]));
  const agencyNames = new Map(names.agencies.map((a) => [a.id, a]));
  const isGraded = source.sourceReliability !== null && source.informationCredibility !== null;

  return {
    ok: true,
    snapshot: {
      version: 2,
      title: { en: choices.title.en, ko: choices.title.ko },
      summary: { en: choices.summary.en, ko: choices.summary.ko },
      place,
      placeCoarsening: choices.placeCoarsening,
      attribution: attributionFor(place),
      period: {
        ...period,
        timeZone: source.timeZone,
        startLocal: localIso(period.start, source.timeZone),
        endLocal: localIso(period.end, source.timeZone),
      },
      grading:
        choices.showGrading && isGraded
          ? { sourceReliability: source.sourceReliability!, informationCredibility: source.informationCredibility! }
          : null,
      vehicles: vehicles.map((row) => ({
        vehicleType: row.vehicleType,
        count: row.count,
        isEstimate: row.isEstimate,
        direction: row.direction,
        colours: row.colours,
        cargo: row.cargo,
      })),
      goods: goods.map((row) => {
        const category = categoryNames.get(row.categoryId);
        return {
          categoryId: row.categoryId,
          categoryNameEn: category?.nameEn ?? row.categoryId,
          categoryNameKo: category?.nameKo ?? category?.nameEn ?? row.categoryId,
          description: row.description,
          direction: row.direction,
          quantity: row.quantity,
          unit: row.unit,
          value: row.value,
          currency: row.currency,
        };
      }),
      agencies: agencies.map((row) => {
        const listed = row.agencyId === null ? undefined : agencyNames.get(row.agencyId);
        const typed = (row.otherName ?? '').trim();
        return {
          agencyId: listed ? listed.id : null,
          nameEn: listed?.nameEn ?? typed,
          nameKo: listed?.nameKo ?? typed,
          role: row.role,
        };
      }),
      photos,
      firstPublishedAt,
    },
  };
}
