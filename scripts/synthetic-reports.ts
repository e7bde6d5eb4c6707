/**
 * Synthetic but realistic reports for the benchmark databases (bench/generate.ts) and the demo's
 * `--synthetic` reports (scripts/demo-synthetic.ts) — pure and deterministic: the same seed gives
 * the same reports. Places, agencies and goods categories come from the reference
 * lists the database was seeded with; statuses follow the workflow of lib/lifecycle/workflow.ts with
 * one report_events row per transition; 20 % of reports are published.
 */
import type { AgencyRole, Direction, ReportStatus, TimeZoneName, VehicleType } from '@/db/enums';

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Share of reports in each status. Published is exactly the 20 %; the rest is a backlog
 * shaped like a busy newsroom's (many submitted and rejected, few drafts left on the server).
 */
export const STATUS_SHARES: Record<ReportStatus, number> = {
  draft: 0.05,
  submitted: 0.22,
  in_review: 0.08,
  changes_requested: 0.05,
  verified: 0.1,
  published: 0.2,
  retracted: 0.02,
  rejected: 0.28,
};

/**
 * Exactly `round(n × share)` reports per status (published first, so it is exact), rest to
 * 'submitted', shuffled deterministically.
 */
export function statusPlan(n: number, random: () => number): ReportStatus[] {
  const plan: ReportStatus[] = [];
  for (const [status, share] of Object.entries(STATUS_SHARES) as [ReportStatus, number][]) {
    if (status === 'submitted') continue;
    for (let i = 0; i < Math.round(n * share) && plan.length < n; i += 1) plan.push(status);
  }
  while (plan.length < n) plan.push('submitted');
  for (let i = plan.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const t = plan[i]!;
    plan[i] = plan[j]!;
    plan[j] = t;
  }
  return plan;
}

export type RefLists = {
  places: { id: string; kind: string; nameEn: string }[];
  agencies: { id: string; nameEn: string }[];
  goodsCategories: { id: string; nameEn: string }[];
  partnerIds: number[];
  editorIds: number[];
};

export type SynthVehicle = { position: number; vehicleType: VehicleType; count: number; isEstimate: boolean; direction: Direction; colours: string; cargo: string };
export type SynthGoods = {
  position: number;
  categoryId: string;
  description: string;
  direction: Direction;
  quantity: number | null;
  unit: string | null;
  value: number | null;
  currency: 'CNY' | 'USD' | 'KPW' | null;
};
export type SynthAgency = { position: number; agencyId: string | null; otherName: string | null; role: AgencyRole; note: string };
export type SynthEvent = { actorId: number; action: string; fromStatus: ReportStatus | null; toStatus: ReportStatus; note: string | null; createdAt: number };
export type SynthMessage = { authorId: number; body: string; isInternal: boolean; createdAt: number };

export type SynthReport = {
  id: number;
  clientId: string;
  authorId: number;
  status: ReportStatus;
  version: number;
  observedFrom: number;
  observedTo: number;
  timeZone: TimeZoneName;
  timeNote: string;
  placeId: string;
  placeDetail: string;
  placePrecision: 'exact' | 'few_km' | 'county' | 'province';
  title: string;
  narrative: string;
  sourceType: 'direct_observation' | 'informant' | 'document' | 'photo_video';
  safetyNote: string;
  sourceReliability: string | null;
  informationCredibility: string | null;
  gradeNote: string | null;
  claimedBy: number | null;
  claimedAt: number | null;
  submittedAt: number | null;
  createdAt: number;
  updatedAt: number;
  vehicles: SynthVehicle[];
  goods: SynthGoods[];
  agencies: SynthAgency[];
  events: SynthEvent[];
  messages: SynthMessage[];
  /**
   * For drafts: the form's values as typed (ReportFormValues of lib/reports/schema.ts, all strings),
   * which the app keeps in reports.draft_values while the structured columns stay empty.
   */
  draftValues: Record<string, unknown> | null;
  /** For published and retracted reports. */
  publication: { publishedAt: number; publishedBy: number; retractedAt: number | null; retractionReason: string | null; publicId: string; showGrading: boolean } | null;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const VEHICLES: VehicleType[] = ['car', 'car', 'car', 'van', 'bus', 'truck', 'truck', 'truck', 'tractor_trailer', 'motorcycle', 'boat', 'other'];
const DIRECTIONS_WEIGHTED: Direction[] = ['into_kp', 'into_kp', 'into_kp', 'out_of_kp', 'out_of_kp', 'out_of_kp', 'within', 'unknown'];
const COLOURS = ['', '', 'white', 'silver', 'white, silver', 'blue', 'grey', 'green canvas', 'red cab', '흰색', '은색'];
const CARGO = ['', 'electronics, clothes', 'minerals, lumber', 'sacks of rice', 'fuel drums', 'covered load', 'seafood boxes', '목재', '전자제품', 'empty on return'];
const GOODS_DESCRIPTIONS = ['household electronics', 'used mobile phones', 'winter clothes', 'ore', 'logs', 'dried squid', 'diesel', 'flour', 'cooking oil', 'car parts', 'antibiotics', 'solar panels', '옷', '광석', '쌀'];
const UNITS = ['t', 'kg', 'boxes', 'sacks', 'truckloads', 'litres', '톤'];
const PLACE_DETAILS = ['', 'upper reaches', 'by the old ferry landing', 'market area', 'north bank road', 'behind the customs yard', 'near the railway bridge', '강변 도로', '세관 뒤'];
const TIME_NOTES = ['', '', 'after sunset until dawn', 'in the morning', 'around midnight', 'over several nights', 'told during a conversation', '해 진 뒤부터 새벽까지'];
const SAFETY_NOTES = ['', '', '', 'Publish the province only.', 'Do not publish the exact place.', 'Only two people saw this; keep the date vague.', '정확한 장소는 공개하지 마십시오.'];
const AGENCY_ROLES_W: AgencyRole[] = ['operator', 'operator', 'protection', 'protection', 'buyer', 'seller', 'enforcement', 'other'];
const SENTENCES = [
  'Cars are parked near the river during the day.',
  'After sunset they start moving back and forth and keep going until dawn.',
  'Most of the traffic is transport vehicles coming over from the Chinese side.',
  'Buses and trucks came over, dozens of them in one night.',
  'They bring electronics and clothes.',
  'Minerals and lumber are loaded for the trip back to China.',
  'Nothing passes through customs.',
  'A driver said that the vehicles are sold in the cities of Pyongyang, Nampo and Chongjin.',
  'Buyers accept white and silver cars but not black ones.',
  'Border guards stood by the road and waved the trucks through.',
  'The trading company pays the guard post every month, according to a merchant.',
  'Patrols were more frequent than last month and fewer boats crossed.',
  'Fuel prices at the market rose after the crossing was closed for two days.',
  'The cargo was covered, but the smell of diesel was strong.',
  'Several people were waiting with hand carts at the landing.',
  '낮에는 강가에 차들이 서 있다.',
  '해가 지면 차들이 오가기 시작해 새벽까지 이어진다.',
  '중국 쪽에서 버스와 트럭이 건너왔다.',
  '국경경비대가 길가에 서서 트럭을 통과시켰다.',
  '세관을 거치는 물건은 없다.',
];
const TITLE_TEMPLATES: ((v: string, p: string, g: string) => string)[] = [
  (v, p) => `${v} cross near ${p} overnight`,
  (v, p, g) => `${g} moved by ${v.toLowerCase()} at ${p}`,
  (_v, p) => `Crossings resume at ${p} after patrols ease`,
  (v, p) => `${v} wait by the river at ${p}`,
  (_v, p, g) => `${g} traded across the border near ${p}`,
  (_v, p) => `${p}: guards paid to look away`,
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Length of a public report id: the app's 16 base64url characters (lib/publishing/public-queries.ts
 * answers 404 to any other shape; until issue 20 the generator made 10, so no synthetic report page
 * could be opened).
 */
export const PUBLIC_ID_LENGTH = 16;

/** Lower-case letters and digits, `length` long, for public ids. */
export function randomSlug(random: () => number, length: number): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** A v4-shaped UUID from the PRNG (client ids of synthetic reports). */
export function randomUuid(random: () => number): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-${'89ab'[Math.floor(random() * 4)]}${part(3)}-${part(12)}`;
}

/** The workflow path that leads to each status (actions of lib/lifecycle/workflow.ts). */
function pathTo(status: ReportStatus, random: () => number): { action: string; from: ReportStatus | null; to: ReportStatus }[] {
  const submit = { action: 'submit', from: 'draft' as const, to: 'submitted' as const };
  const claim = { action: 'claim', from: 'submitted' as const, to: 'in_review' as const };
  const verify = { action: 'verify', from: 'in_review' as const, to: 'verified' as const };
  const publish = { action: 'publish', from: 'verified' as const, to: 'published' as const };
  // Some reports went round a changes-requested loop first.
  const loop =
    random() < 0.15
      ? [
          { action: 'request_changes', from: 'in_review' as const, to: 'changes_requested' as const },
          { action: 'submit', from: 'changes_requested' as const, to: 'submitted' as const },
          claim,
        ]
      : [];
  switch (status) {
    case 'draft':
      return [];
    case 'submitted':
      return [submit];
    case 'in_review':
      return [submit, claim];
    case 'changes_requested':
      return [submit, claim, { action: 'request_changes', from: 'in_review', to: 'changes_requested' }];
    case 'verified':
      return [submit, claim, ...loop, verify];
    case 'published':
      return [submit, claim, ...loop, verify, publish];
    case 'retracted':
      return [submit, claim, verify, publish, { action: 'retract', from: 'published', to: 'retracted' }];
    case 'rejected':
      return random() < 0.5 ? [submit, { action: 'reject', from: 'submitted', to: 'rejected' }] : [submit, claim, { action: 'reject', from: 'in_review', to: 'rejected' }];
  }
}

const PLURAL: Record<VehicleType, string> = {
  car: 'Cars',
  van: 'Vans',
  bus: 'Buses',
  truck: 'Trucks',
  tractor_trailer: 'Tractor-trailers',
  motorcycle: 'Motorcycles',
  boat: 'Boats',
  other: 'Vehicles',
};

/**
 * Report number `index` (0-based) of a database of `total`, with id `id`. Times spread evenly
 * (with jitter) over `[startMs, endMs)`, so ids grow with creation time as in a real database.
 */
export function synthesizeReport({
  random,
  id,
  index,
  total,
  status,
  startMs,
  endMs,
  refs,
}: {
  random: () => number;
  id: number;
  index: number;
  total: number;
  status: ReportStatus;
  startMs: number;
  endMs: number;
  refs: RefLists;
}): SynthReport {
  const span = endMs - startMs;
  const observedFrom = Math.floor(startMs + (span * (index + random())) / total - 5 * DAY * random());
  const observedTo = observedFrom + int(random, 1, 24) * 30 * 60_000;
  const timeZone: TimeZoneName = random() < 0.85 ? 'Asia/Pyongyang' : random() < 0.7 ? 'Asia/Shanghai' : 'UTC';
  // A few partners file most reports (skewed pick).
  const authorId = refs.partnerIds[Math.floor(refs.partnerIds.length * random() * random())]!;
  const place = pick(random, refs.places);
  const createdAt = observedTo + int(random, 1, 96) * HOUR;
  const isDraft = status === 'draft';
  const submittedAt = isDraft ? null : createdAt + int(random, 5, 24 * 60) * 60_000;

  const vehicleCount = isDraft ? int(random, 0, 2) : [0, 1, 2, 3, 3, 4, 4, 5, 6][int(random, 0, 8)]!;
  const vehicles: SynthVehicle[] = [];
  for (let i = 0; i < vehicleCount; i += 1) {
    const estimate = random() < 0.6;
    vehicles.push({
      position: i,
      vehicleType: pick(random, VEHICLES),
      count: estimate ? int(random, 1, 12) * 5 : int(random, 1, 40),
      isEstimate: estimate,
      direction: pick(random, DIRECTIONS_WEIGHTED),
      colours: pick(random, COLOURS),
      cargo: pick(random, CARGO),
    });
  }
  const goodsCount = [0, 0, 1, 2, 2, 3, 4, 5][int(random, 0, 7)]!;
  const goods: SynthGoods[] = [];
  for (let i = 0; i < goodsCount; i += 1) {
    const hasQuantity = random() < 0.5;
    const hasValue = random() < 0.3;
    goods.push({
      position: i,
      categoryId: pick(random, refs.goodsCategories).id,
      description: pick(random, GOODS_DESCRIPTIONS),
      direction: pick(random, DIRECTIONS_WEIGHTED),
      quantity: hasQuantity ? int(random, 1, 500) : null,
      unit: hasQuantity ? pick(random, UNITS) : null,
      value: hasValue ? int(random, 10, 200_000) : null,
      currency: hasValue ? pick(random, ['CNY', 'CNY', 'USD', 'KPW'] as const) : null,
    });
  }
  const agencyCount = [0, 0, 0, 1, 1, 2, 3][int(random, 0, 6)]!;
  const agencies: SynthAgency[] = [];
  for (let i = 0; i < agencyCount; i += 1) {
    const other = random() < 0.1;
    agencies.push({
      position: i,
      agencyId: other ? null : pick(random, refs.agencies).id,
      otherName: other ? pick(random, ['a new trading company', 'local party office', '무역회사']) : null,
      role: pick(random, AGENCY_ROLES_W),
      note: random() < 0.3 ? pick(random, ['paid monthly', 'seen at the landing', 'named by a driver']) : '',
    });
  }

  const sentences: string[] = [];
  const sentenceCount = int(random, 3, 14);
  for (let i = 0; i < sentenceCount; i += 1) sentences.push(pick(random, SENTENCES));
  const firstVehicle = vehicles[0]?.vehicleType ?? pick(random, VEHICLES);
  const firstGoods = refs.goodsCategories.find((g) => g.id === goods[0]?.categoryId)?.nameEn ?? pick(random, refs.goodsCategories).nameEn;
  const title = pick(random, TITLE_TEMPLATES)(PLURAL[firstVehicle], place.nameEn, firstGoods).slice(0, 120);

  // Workflow events, spaced hours to days apart after submission.
  const editor = pick(random, refs.editorIds);
  const steps = pathTo(status, random);
  const events: SynthEvent[] = [];
  let t = submittedAt ?? createdAt;
  for (const step of steps) {
    if (events.length > 0) t += int(random, 1, 72) * HOUR;
    const actorId = step.action === 'submit' ? authorId : editor;
    const note = step.action === 'reject' ? 'Cannot be checked against other reports.' : step.action === 'request_changes' ? 'Please add the direction of the trucks.' : null;
    events.push({ actorId, action: step.action, fromStatus: step.from, toStatus: step.to, note, createdAt: t });
  }
  const updatedAt = isDraft ? createdAt + int(random, 1, 600) * 60_000 : t;

  const messages: SynthMessage[] = [];
  if (status === 'changes_requested' || (!isDraft && random() < 0.15)) {
    const count = int(random, 1, 3);
    for (let i = 0; i < count; i += 1) {
      const fromEditor = i % 2 === 0;
      messages.push({
        authorId: fromEditor ? editor : authorId,
        body: fromEditor ? 'Could you say which way the trucks were going?' : 'Into North Korea, all of them.',
        isInternal: fromEditor && random() < 0.3,
        createdAt: (submittedAt ?? createdAt) + (i + 1) * HOUR,
      });
    }
  }

  const graded = status === 'verified' || status === 'published' || status === 'retracted';
  const isPublished = status === 'published' || status === 'retracted';
  const publishEvent = events.find((e) => e.action === 'publish');
  const retractEvent = events.find((e) => e.action === 'retract');

  const clientId = randomUuid(random);
  const localText = (ms: number) => new Date(ms + (timeZone === 'UTC' ? 0 : timeZone === 'Asia/Shanghai' ? 8 : 9) * HOUR).toISOString().slice(0, 16);
  const draftValues = isDraft
    ? {
        clientId,
        observedFrom: localText(observedFrom),
        observedFromChoice: '',
        observedTo: random() < 0.5 ? localText(observedTo) : '',
        observedToChoice: '',
        timeZone,
        timeNote: '',
        placeId: place.id,
        placeDetail: '',
        placePrecision: '',
        title,
        narrative: sentences.slice(0, 3).join(' '),
        sourceType: '',
        safetyNote: '',
        vehicles: vehicles.map((v) => ({ vehicleType: v.vehicleType, count: String(v.count), isEstimate: v.isEstimate, direction: v.direction, colours: v.colours, cargo: v.cargo })),
        goods: [],
        agencies: [],
      }
    : null;

  return {
    id,
    clientId,
    authorId,
    status,
    version: 1 + events.length + (isDraft ? int(random, 1, 20) : 0),
    observedFrom,
    observedTo,
    timeZone,
    timeNote: pick(random, TIME_NOTES),
    placeId: place.id,
    placeDetail: pick(random, PLACE_DETAILS),
    placePrecision: pick(random, ['exact', 'few_km', 'few_km', 'county', 'province'] as const),
    title,
    narrative: sentences.join(' '),
    sourceType: pick(random, ['direct_observation', 'direct_observation', 'informant', 'document', 'photo_video'] as const),
    safetyNote: pick(random, SAFETY_NOTES),
    sourceReliability: graded ? pick(random, ['A', 'B', 'B', 'C', 'C', 'D']) : null,
    informationCredibility: graded ? pick(random, ['1', '2', '2', '3', '3', '4']) : null,
    gradeNote: graded && random() < 0.5 ? 'Matches two other reports from the same week.' : null,
    claimedBy: status === 'in_review' ? editor : null,
    claimedAt: status === 'in_review' ? (events.at(-1)?.createdAt ?? null) : null,
    submittedAt,
    createdAt,
    updatedAt,
    vehicles,
    goods,
    agencies,
    events,
    messages,
    draftValues,
    publication:
      isPublished && publishEvent
        ? {
            publishedAt: publishEvent.createdAt,
            publishedBy: publishEvent.actorId,
            retractedAt: retractEvent?.createdAt ?? null,
            retractionReason: retractEvent ? 'A second source withdrew the account.' : null,
            publicId: randomSlug(random, PUBLIC_ID_LENGTH),
            showGrading: random() < 0.3,
          }
        : null,
  };
}
