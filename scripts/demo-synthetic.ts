/**
 * `npm run demo -- --synthetic=300`: a few hundred synthetic published reports over the last six
 * months, so the map, the charts and the exports of the demo show something (issue 20 item 9).
 * Off by default; refused when NODE_ENV is production. The reports come from the benchmark's
 * generator (scripts/synthetic-reports.ts: places, vehicles, goods and agencies drawn from the
 * reference lists) and go through the data layer as a partner and an editor would: submitted by
 * the demo account `partner-synthetic` (no password: nobody signs in as it), claimed, verified and
 * published by the demo editor with a varied place coarsening. Every public title and summary says
 * the report is synthetic, in both languages. Idempotent: the generator's client ids are seeded,
 * so a second run finds them and adds nothing.
 */
import { eq, sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, agencies, goodsCategories, places, reports, type PLACE_COARSENINGS } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { AGENCY_OTHER, type ReportFormValues } from '@/lib/reports/form-values';
import { ensureAccount } from './accounts-seed';
import { prng, synthesizeReport, type SynthReport } from './synthetic-reports';

/** The most synthetic reports one run makes. */
export const SYNTHETIC_MAX = 2000;
/** Code name of the account that files them. */
export const SYNTHETIC_PARTNER = 'partner-synthetic';
/** Marks every synthetic publication's public title. */
export const SYNTHETIC_TITLE_PREFIX = { en: 'Synthetic demo report', ko: '합성 데모 보고' } as const;
const SYNTHETIC_SUMMARY = {
  en: 'Synthetic data made by `npm run demo -- --synthetic` so that the demo has something to show: not a real report.',
  ko: '데모에 보여 줄 내용이 있도록 `npm run demo -- --synthetic`로 만든 합성 데이터입니다. 실제 보고가 아닙니다.',
} as const;
const SEED = 0x5e_20_26;
const DAY_MS = 86_400_000;

/** Thrown when synthetic reports are asked for where they must not be made. */
export class SyntheticRefusedError extends Error {}

/**
 * Parse `--synthetic=N` from the demo's arguments: null when absent (the default: none), else N
 * (1–SYNTHETIC_MAX). Throws SyntheticRefusedError for a bad value, and for any value when
 * `nodeEnv` is 'production' (synthetic reports never go into a real newsroom's database).
 */
export function parseSyntheticOption(argv: readonly string[], nodeEnv: string | undefined): number | null {
  const arg = argv.find((a) => a === '--synthetic' || a.startsWith('--synthetic='));
  if (arg === undefined) return null;
  if (nodeEnv === 'production') throw new SyntheticRefusedError('--synthetic is refused when NODE_ENV=production: synthetic reports are for the demo only.');
  const text = arg === '--synthetic' ? '300' : arg.slice('--synthetic='.length).replace(/[_,]/g, '');
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > SYNTHETIC_MAX) throw new SyntheticRefusedError(`--synthetic needs a whole number from 1 to ${SYNTHETIC_MAX}, got "${text}".`);
  return n;
}

/** A UTC instant as the form's local 'YYYY-MM-DDTHH:mm' in `timeZone`. */
function localInput(epochMs: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** A generated report as the report form's values (what the partner would have typed). */
export function syntheticFormValues(report: SynthReport): ReportFormValues {
  return {
    clientId: report.clientId,
    observedFrom: localInput(report.observedFrom, report.timeZone),
    observedFromChoice: '',
    observedTo: localInput(report.observedTo, report.timeZone),
    observedToChoice: '',
    timeZone: report.timeZone,
    timeNote: report.timeNote,
    placeId: report.placeId,
    placeDetail: report.placeDetail,
    placePrecision: report.placePrecision,
    title: `[Synthetic] ${report.title}`.slice(0, 120),
    narrative: `[Synthetic demo data] ${report.narrative}`,
    sourceType: report.sourceType,
    safetyNote: report.safetyNote,
    vehicles: report.vehicles.map((v) => ({ vehicleType: v.vehicleType, count: String(v.count), isEstimate: v.isEstimate, direction: v.direction, colours: v.colours, cargo: v.cargo })),
    goods: report.goods.map((g) => ({
      categoryId: g.categoryId,
      description: g.description,
      direction: g.direction,
      quantity: g.quantity === null ? '' : String(g.quantity),
      unit: g.unit ?? '',
      value: g.value === null ? '' : String(g.value),
      currency: g.currency ?? '',
    })),
    agencies: report.agencies.map((a) => ({ agencyId: a.agencyId ?? AGENCY_OTHER, otherName: a.otherName ?? '', role: a.role, note: a.note })),
  };
}

/**
 * File, verify and publish `count` synthetic reports observed over the six months before `now`
 * (UTC ms), as `partner-synthetic` and `editor` (the demo editor's account, looked up by code name,
 * unless given). Returns how many were made and how many existed already. Throws
 * SyntheticRefusedError in production, and an Error when the data layer refuses a step (the
 * generator and the rules disagree: a bug to fix, not to skip).
 */
export async function seedSyntheticReports({
  count,
  now = Date.now(),
  editor,
  log = () => {},
}: {
  count: number;
  now?: number;
  editor?: Actor;
  log?: (line: string) => void;
}): Promise<{ created: number; existing: number }> {
  if (process.env.NODE_ENV === 'production') throw new SyntheticRefusedError('Synthetic reports are refused when NODE_ENV=production.');
  const { submitReport } = await import('@/lib/reports/submit');
  const { decideReport } = await import('@/lib/review/decisions');
  const { publishReport } = await import('@/lib/publishing/publish');
  const { findReportForActor } = await import('@/lib/lifecycle/access');
  const { loadPublishingSource } = await import('@/lib/publishing/editor-view');
  const db = getDb();

  const partner: Actor = { id: writeTransaction((tx) => ensureAccount(tx, { codeName: SYNTHETIC_PARTNER, role: 'partner', passwordHash: null, isDemo: true })), role: 'partner' };
  const editorActor =
    editor ??
    (() => {
      const row = db.select({ id: accounts.id, role: accounts.role }).from(accounts).where(sql`${accounts.codeName} = 'editor' COLLATE NOCASE`).get();
      if (!row || (row.role !== 'editor' && row.role !== 'admin')) throw new Error('The demo editor account is missing: run the demo seed first.');
      return { id: row.id, role: row.role };
    })();

  const refs = {
    places: db.select({ id: places.id, kind: places.kind, nameEn: places.nameEn, retiredAt: places.retiredAt, mergedInto: places.mergedInto }).from(places).all().filter((p) => p.retiredAt === null && p.mergedInto === null),
    agencies: db.select({ id: agencies.id, nameEn: agencies.nameEn, retiredAt: agencies.retiredAt }).from(agencies).all().filter((a) => a.retiredAt === null),
    goodsCategories: db.select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, retiredAt: goodsCategories.retiredAt }).from(goodsCategories).all().filter((g) => g.retiredAt === null),
    partnerIds: [partner.id],
    editorIds: [editorActor.id],
  };
  const random = prng(SEED);
  const endMs = now - 2 * DAY_MS;
  const startMs = endMs - 180 * DAY_MS;
  const coarsenings: (typeof PLACE_COARSENINGS)[number][] = ['province', 'province', 'province', 'county_or_city', 'county_or_city', 'as_entered', 'country'];
  let created = 0;
  let existing = 0;
  for (let index = 0; index < count; index += 1) {
    const report = synthesizeReport({ random, id: 0, index, total: count, status: 'published', startMs, endMs, refs });
    const placeCoarsening = coarsenings[Math.floor(random() * coarsenings.length)]!;
    const timeCoarsening = random() < 0.7 ? 'day' : 'week';
    if (db.select({ id: reports.id }).from(reports).where(eq(reports.clientId, report.clientId)).get()) {
      existing += 1;
      continue;
    }
    const submitted = submitReport({ actor: partner, values: syntheticFormValues(report), now: Math.min(report.observedTo + DAY_MS, now) });
    if (!submitted.ok) throw new Error(`Synthetic report ${index + 1} refused: ${JSON.stringify(submitted.fieldErrors)} ${submitted.formErrors.join(', ')}`);
    const decide = (input: Record<string, string>) => {
      const current = findReportForActor({ actor: editorActor, reportId: submitted.reportId });
      if (!current) throw new Error(`Synthetic report ${submitted.reportId} is not visible to the editor.`);
      const done = decideReport({ actor: editorActor, reportId: submitted.reportId, version: current.version, input });
      if (!done.ok) throw new Error(`Synthetic report ${submitted.reportId}: ${input.action} refused (${done.messageKey}).`);
      return current;
    };
    decide({ action: 'claim' });
    decide({ action: 'verify', sourceReliability: 'C', informationCredibility: '3', gradeNote: 'Synthetic demo data.' });
    const current = findReportForActor({ actor: editorActor, reportId: submitted.reportId })!;
    const source = loadPublishingSource(db, current.id)!;
    const vehicleWords = [...new Set(source.vehicles.map((v) => v.vehicleType.replace('_', '-')))].slice(0, 3).join(', ');
    const published = publishReport({
      actor: editorActor,
      reportId: current.id,
      expectedVersion: current.version,
      choices: {
        title: {
          en: `${SYNTHETIC_TITLE_PREFIX.en} ${index + 1}${vehicleWords ? `: ${vehicleWords}` : ''}`,
          ko: `${SYNTHETIC_TITLE_PREFIX.ko} ${index + 1}`,
        },
        summary: { ...SYNTHETIC_SUMMARY },
        placeCoarsening,
        timeCoarsening,
        showGrading: false,
        vehicleRows: source.vehicles.map((row) => row.position),
        goodsRows: source.goods.map((row) => row.position),
        agencyRows: source.agencies.map((row) => row.position),
        photos: [],
      },
    });
    if (!published.ok) throw new Error(`Synthetic report ${current.id}: publish refused (${published.messageKey}).`);
    created += 1;
    if (created % 50 === 0) log(`  ${created} synthetic reports published …`);
  }
  return { created, existing };
}
