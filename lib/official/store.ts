import 'server-only';
import crypto from 'node:crypto';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { officialTradeConfirmations, officialTradeFigures, officialTradeImports } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record';
import { isActorStill, NOT_ALLOWED, type Actor } from '@/lib/accounts/actor';
import { AREA_ROLES } from '@/lib/auth/roles';
import { markPublicDataChanged } from '@/lib/publishing/public-cache';
import { refuse, refusal, type Refusal } from '@/lib/refusal';
import { checkMonth, describeCheck, indexFigures, type CheckedFigure, type FigureIndex, type MonthCheck } from './checks';
import { checkUploadSize, describeImportProblem, MAX_PROBLEMS, parseOfficialCsv, type OfficialRow } from './csv';
import { monthYearAfter, monthYearBefore, OFFICIAL_FLOWS, OFFICIAL_LIMITS, type OfficialAuthority, type OfficialFlow, type OfficialUnit } from './format';

/**
 * The official-statistics data layer (issue 21; docs/official-trade.md): admins upload a file, see
 * a preview of exactly what will be stored and what every check says, and confirm; re-imports keep
 * every earlier figure as a revision; a month whose checks fail is stored but flagged, and stays
 * out of public charts and exports (lib/official/public.ts) until a re-import corrects it or an
 * admin confirms it with a note. Every change writes an audit event in its transaction.
 *
 * How the upload reaches the Confirm (docs/decisions/0013-official-trade-figures.md): the checked
 * rows wait in a `pending` import row bound to the admin who uploaded them, for 30 minutes; the
 * Confirm names that row and the state of the store the preview was computed on (`basis`), so
 * what is stored is exactly what was previewed — or the Confirm is refused and nothing changes.
 */

/** Refusals of this room (i18n keys in lib/i18n/messages/<locale>/official.json). */
const NOT_FOUND = refuse('not_found', 'official.errors.notFound');
const EXPIRED = refuse('expired', 'official.errors.expired');
const STALE = refuse('stale', 'official.errors.stale');

/** A refused file: the headline key and every problem as an English sentence (admin pages are English). */
export type FileRefusal = Refusal & { problems: string[]; problemCount: number };

/** A file as the upload form hands it over: its name, its size in bytes, and a way to read it. */
export type UploadedFile = { name: string; size: number; bytes: () => Promise<Uint8Array> };

/** A figure as stored and shown to admins. */
export type StoredFigure = CheckedFigure & { id: number; revision: number; sourceName: string; sourceUrl: string | null; createdAt: Date; replacedAt: Date | null };

const FIGURE_COLUMNS = {
  id: officialTradeFigures.id,
  authority: officialTradeFigures.authority,
  month: officialTradeFigures.month,
  flow: officialTradeFigures.flow,
  value: officialTradeFigures.value,
  unit: officialTradeFigures.unit,
  yoyChangePct: officialTradeFigures.yoyChangePct,
  sourceName: officialTradeFigures.sourceName,
  sourceUrl: officialTradeFigures.sourceUrl,
  revision: officialTradeFigures.revision,
  createdAt: officialTradeFigures.createdAt,
  replacedAt: officialTradeFigures.replacedAt,
};

function typed(row: { authority: string; flow: string; unit: string } & Omit<StoredFigure, 'authority' | 'flow' | 'unit'>): StoredFigure {
  return { ...row, authority: row.authority as OfficialAuthority, flow: row.flow as OfficialFlow, unit: row.unit as OfficialUnit };
}

/** Every current figure (replacedAt null). */
export function currentFigures(db: DB | Tx): StoredFigure[] {
  return db.select(FIGURE_COLUMNS).from(officialTradeFigures).where(isNull(officialTradeFigures.replacedAt)).all().map(typed);
}

/**
 * The state of the store a preview is computed on: the newest figure id (figures are only ever
 * added; a replacement adds one). Any import stored since changes it.
 */
function storeBasis(db: DB | Tx): string {
  return String(db.select({ n: sql<number>`coalesce(max(${officialTradeFigures.id}), 0)` }).from(officialTradeFigures).get()?.n ?? 0);
}

const monthKey = (authority: string, month: string) => `${authority}|${month}`;

/**
 * A month's confirmation basis: the ids of the current figures of the month and of the month a
 * year before (the year-on-year rule reads both), "12,13,14|7,8".
 */
export function confirmationBasis(figures: readonly StoredFigure[], authority: string, month: string): string {
  const ids = (m: string) =>
    figures
      .filter((f) => f.authority === authority && f.month === m)
      .map((f) => f.id)
      .sort((a, b) => a - b)
      .join(',');
  return `${ids(month)}|${ids(monthYearBefore(month))}`;
}

/** How a month stands: its checks pass, they do not (flagged), or an admin confirmed it with a note. */
export type MonthStatus = 'consistent' | 'flagged' | 'confirmed';

/** A month as admins see it (and, when charted, the public). */
export type OfficialMonth = {
  authority: OfficialAuthority;
  month: string;
  status: MonthStatus;
  /** Every check's result as an English sentence, with its status. */
  checks: { status: MonthCheck['results'][number]['status']; text: string }[];
  figures: StoredFigure[];
  /** The basis an admin's confirmation must name (confirmationBasis). */
  basis: string;
  /** The confirmation in force (a confirmed month), or null. */
  confirmation: { note: string; at: Date } | null;
};

/** Every month with figures, newest first, with its checks and status (reads the whole store: a few thousand rows at most). */
function monthsOf(db: DB | Tx): OfficialMonth[] {
  const figures = currentFigures(db);
  const index = indexFigures(figures);
  const confirmations = new Map<string, { basis: string; note: string; at: Date }>();
  for (const c of db
    .select({ authority: officialTradeConfirmations.authority, month: officialTradeConfirmations.month, basis: officialTradeConfirmations.basis, note: officialTradeConfirmations.note, at: officialTradeConfirmations.createdAt })
    .from(officialTradeConfirmations)
    .orderBy(officialTradeConfirmations.id)
    .all()) {
    confirmations.set(monthKey(c.authority, c.month), c); // the latest wins
  }
  const keys = [...new Set(figures.map((f) => monthKey(f.authority, f.month)))].sort().reverse();
  return keys.map((key) => {
    const [authority, month] = key.split('|') as [OfficialAuthority, string];
    const check = checkMonth(index, authority, month);
    const basis = confirmationBasis(figures, authority, month);
    const confirmation = confirmations.get(key);
    const isConfirmed = !check.isConsistent && confirmation?.basis === basis;
    return {
      authority,
      month,
      status: check.isConsistent ? 'consistent' : isConfirmed ? 'confirmed' : 'flagged',
      checks: check.results.map((r) => ({ status: r.status, text: describeCheck(r) })),
      figures: figures.filter((f) => f.authority === authority && f.month === month).sort((a, b) => OFFICIAL_FLOWS.indexOf(a.flow) - OFFICIAL_FLOWS.indexOf(b.flow)),
      basis,
      confirmation: isConfirmed && confirmation ? { note: confirmation.note, at: confirmation.at } : null,
    };
  });
}

/**
 * Every month of official figures for the admin page: status, checks, current figures.
 * @returns `{ ok: true, months, revisions }` (`revisions`: earlier figures, newest first) or NOT_ALLOWED
 */
export function listOfficialMonths({ actor }: { actor: Actor }): { ok: true; months: OfficialMonth[]; revisions: StoredFigure[] } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const revisions = db
    .select(FIGURE_COLUMNS)
    .from(officialTradeFigures)
    .where(sql`${officialTradeFigures.replacedAt} IS NOT NULL`)
    .orderBy(desc(officialTradeFigures.id))
    .limit(500)
    .all()
    .map(typed);
  return { ok: true, months: monthsOf(db), revisions };
}

/**
 * The months whose figures public charts and exports may show: checks pass, or confirmed with a
 * note. Used by lib/official/public.ts only (no caller check: public data).
 */
export function chartedMonths(db: DB): OfficialMonth[] {
  return monthsOf(db).filter((m) => m.status !== 'flagged');
}

/**
 * Read an uploaded file and keep its checked rows as a pending import of this admin.
 * The size is checked first: over 1 MiB is refused without reading a byte (csv.ts checkUploadSize).
 * @returns `{ ok: true, importId }`, or a FileRefusal ('official.errors.fileRefused' with every
 *   problem; nothing stored), or NOT_ALLOWED
 */
export async function uploadOfficialFile({ actor, file, now = new Date() }: { actor: Actor; file: UploadedFile; now?: Date }): Promise<{ ok: true; importId: number } | FileRefusal | Refusal> {
  if (!isActorStill(getDb(), actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const sizeRefusal = checkUploadSize(file.size);
  const bytes = sizeRefusal ? null : await file.bytes();
  const parsed = sizeRefusal ?? parseOfficialCsv(bytes!, now);
  if (!parsed.ok) {
    return { ...refusal('official.errors.fileRefused'), problems: parsed.problems.slice(0, MAX_PROBLEMS).map(describeImportProblem), problemCount: parsed.problemCount };
  }
  const fileSha256 = crypto.createHash('sha256').update(bytes!).digest('hex');
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    // Previews nobody confirmed in time are dropped (they never changed anything).
    tx.delete(officialTradeImports).where(and(eq(officialTradeImports.status, 'pending'), lt(officialTradeImports.expiresAt, now))).run();
    const row = tx
      .insert(officialTradeImports)
      .values({
        adminId: actor.id,
        status: 'pending',
        fileName: file.name.normalize('NFC').slice(0, 200),
        fileSha256,
        rows: parsed.rows,
        createdAt: now,
        expiresAt: new Date(now.getTime() + OFFICIAL_LIMITS.pendingMs),
      })
      .returning({ id: officialTradeImports.id })
      .get();
    return { ok: true as const, importId: row.id };
  });
}

/** One row of a preview: what the file says, and what it does to the store. */
export type PreviewRow = OfficialRow & {
  change: 'new' | 'replaces' | 'unchanged';
  /** The figure it replaces (or repeats). */
  previous: StoredFigure | null;
};

/** A preview: the import, its rows, and every affected month's checks as they will be after storing. */
export type OfficialPreview = {
  importId: number;
  fileName: string;
  fileSha256: string;
  expiresAt: Date;
  rows: PreviewRow[];
  /** The months of the file, then months a year later whose year-on-year check the file changes. */
  months: (MonthCheck & { checks: { status: string; text: string }[]; isInFile: boolean })[];
  /** Hand this back with the Confirm (the store's state this preview was computed on). */
  basis: string;
};

type PendingImport = typeof officialTradeImports.$inferSelect;

function pendingImportOf(db: DB | Tx, actor: Actor, importId: unknown, now: Date): PendingImport | Refusal<'not_found' | 'expired'> {
  const id = typeof importId === 'number' ? importId : typeof importId === 'string' && /^\d{1,12}$/.test(importId) ? Number(importId) : NaN;
  if (!Number.isSafeInteger(id)) return NOT_FOUND;
  const row = db.select().from(officialTradeImports).where(eq(officialTradeImports.id, id)).get();
  if (!row || row.adminId !== actor.id || row.status !== 'pending') return NOT_FOUND;
  if (row.expiresAt.getTime() < now.getTime()) return EXPIRED;
  return row;
}

const sameFigure = (row: OfficialRow, figure: StoredFigure) =>
  row.value === figure.value && row.unit === figure.unit && row.yoyChangePct === figure.yoyChangePct && row.sourceName === figure.sourceName && row.sourceUrl === figure.sourceUrl;

/** Rows against the store, and the checks of every month they touch, as they will be after storing. */
function previewOf(db: DB | Tx, pending: PendingImport): OfficialPreview {
  const rows = pending.rows as OfficialRow[];
  const stored = currentFigures(db);
  const storedIndex = new Map(stored.map((f) => [`${f.authority}|${f.month}|${f.flow}`, f]));
  const previewRows: PreviewRow[] = rows.map((row) => {
    const previous = storedIndex.get(`${row.authority}|${row.month}|${row.flow}`) ?? null;
    return { ...row, previous, change: previous === null ? 'new' : sameFigure(row, previous) ? 'unchanged' : 'replaces' };
  });
  const after: FigureIndex = indexFigures([...stored, ...rows]);
  const fileMonths = [...new Set(rows.map((r) => monthKey(r.authority, r.month)))].sort();
  const laterMonths = [...new Set(rows.map((r) => monthKey(r.authority, monthYearAfter(r.month))))]
    .filter((key) => !fileMonths.includes(key) && stored.some((f) => monthKey(f.authority, f.month) === key))
    .sort();
  const months = [...fileMonths, ...laterMonths].map((key) => {
    const [authority, month] = key.split('|') as [OfficialAuthority, string];
    const check = checkMonth(after, authority, month);
    return { ...check, checks: check.results.map((r) => ({ status: r.status, text: describeCheck(r) })), isInFile: fileMonths.includes(key) };
  });
  return { importId: pending.id, fileName: pending.fileName, fileSha256: pending.fileSha256, expiresAt: pending.expiresAt, rows: previewRows, months, basis: storeBasis(db) };
}

/**
 * The preview of a pending import of this admin: exactly what Confirm will store, and what every
 * check will say of each affected month.
 * @returns `{ ok: true, preview }`, or a refusal: NOT_ALLOWED, 'not_found' (no such pending import of
 *   this admin: stored, discarded, another admin's), 'expired'
 */
export function getOfficialPreview({ actor, importId, now = new Date() }: { actor: Actor; importId: unknown; now?: Date }): { ok: true; preview: OfficialPreview } | Refusal | Refusal<'not_found' | 'expired'> {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const pending = pendingImportOf(db, actor, importId, now);
  if ('messageKey' in pending) return pending;
  return { ok: true, preview: previewOf(db, pending) };
}

/**
 * Store a previewed import: each row becomes the current figure of its authority, month and flow
 * (a different earlier figure is kept as a revision, `replacedAt` set; an identical one is left as
 * it is), in one transaction with an `official_trade_imported` audit event.
 * @param basis the preview's `basis`; when the store changed since, nothing is stored ('stale')
 * @returns counts and the months now flagged, or a refusal (NOT_ALLOWED, 'not_found', 'expired', 'stale')
 */
export function confirmOfficialImport({ actor, importId, basis, now = new Date() }: { actor: Actor; importId: unknown; basis: unknown; now?: Date }):
  | { ok: true; added: number; replaced: number; unchanged: number; flaggedMonths: string[] }
  | Refusal
  | Refusal<'not_found' | 'expired' | 'stale'> {
  const result = writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const pending = pendingImportOf(tx, actor, importId, now);
    if ('messageKey' in pending) return pending;
    if (basis !== storeBasis(tx)) return STALE;
    const preview = previewOf(tx, pending);
    let added = 0;
    let replaced = 0;
    let unchanged = 0;
    for (const row of preview.rows) {
      if (row.change === 'unchanged') {
        unchanged += 1;
        continue;
      }
      if (row.previous) {
        tx.update(officialTradeFigures).set({ replacedAt: now }).where(eq(officialTradeFigures.id, row.previous.id)).run();
        replaced += 1;
      } else added += 1;
      const lastRevision = tx
        .select({ n: sql<number>`coalesce(max(${officialTradeFigures.revision}), 0)` })
        .from(officialTradeFigures)
        .where(and(eq(officialTradeFigures.authority, row.authority), eq(officialTradeFigures.month, row.month), eq(officialTradeFigures.flow, row.flow)))
        .get()?.n ?? 0;
      tx.insert(officialTradeFigures)
        .values({
          importId: pending.id,
          authority: row.authority,
          month: row.month,
          flow: row.flow,
          value: row.value,
          unit: row.unit,
          yoyChangePct: row.yoyChangePct,
          sourceName: row.sourceName,
          sourceUrl: row.sourceUrl,
          revision: Number(lastRevision) + 1,
          createdAt: now,
        })
        .run();
    }
    tx.update(officialTradeImports).set({ status: 'stored', storedAt: now }).where(eq(officialTradeImports.id, pending.id)).run();
    const touched = new Set(preview.months.map((m) => monthKey(m.authority, m.month)));
    const flaggedMonths = monthsOf(tx)
      .filter((m) => m.status === 'flagged' && touched.has(monthKey(m.authority, m.month)))
      .map((m) => `${m.authority} ${m.month}`);
    recordAuditEvent(tx, {
      actorId: actor.id,
      kind: 'official_trade_imported',
      detail: { importId: pending.id, fileSha256: pending.fileSha256, added, replaced, unchanged, months: preview.months.filter((m) => m.isInFile).map((m) => `${m.authority} ${m.month}`), flaggedMonths },
    });
    return { ok: true as const, added, replaced, unchanged, flaggedMonths };
  });
  if (result.ok) markPublicDataChanged();
  return result;
}

/**
 * Drop a pending import of this admin (nothing was stored; nothing to audit).
 * @returns `{ ok: true }` or NOT_ALLOWED / 'not_found'
 */
export function discardOfficialImport({ actor, importId }: { actor: Actor; importId: unknown }): { ok: true } | Refusal | Refusal<'not_found' | 'expired'> {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    // An expired preview may be discarded too: only another admin's, a stored or an unknown one is refused.
    const pending = pendingImportOf(tx, actor, importId, new Date(0));
    if ('messageKey' in pending) return pending;
    tx.update(officialTradeImports).set({ status: 'discarded' }).where(eq(officialTradeImports.id, pending.id)).run();
    return { ok: true as const };
  });
}

/** Longest note of a month's confirmation, in characters. */
export const CONFIRMATION_NOTE_CHARS = 1_000;

/**
 * Confirm a flagged month as it stands, with a note that is published beside its figures (it
 * then counts in public charts and exports), in one transaction with an
 * `official_trade_month_confirmed` audit event.
 * @param basis the month's `basis` as the admin saw it; when its figures changed since: 'stale'
 * @returns `{ ok: true }`, or a refusal: NOT_ALLOWED, 'not_found' (no figures for that month),
 *   'consistent' (its checks pass: nothing to confirm), 'stale', or 'invalid' with a field error
 *   on `note` (empty, or over CONFIRMATION_NOTE_CHARS)
 */
export function confirmOfficialMonth({ actor, authority, month, basis, note }: { actor: Actor; authority: unknown; month: unknown; basis: unknown; note: unknown }):
  | { ok: true }
  | Refusal
  | Refusal<'not_found' | 'consistent' | 'stale' | 'invalid'> {
  const text = typeof note === 'string' ? note.normalize('NFC').trim() : '';
  if (text === '') return refuse('invalid', 'official.errors.noteRequired', { note: ['official.errors.noteRequired'] });
  if (text.length > CONFIRMATION_NOTE_CHARS) return refuse('invalid', 'official.errors.noteTooLong', { note: ['official.errors.noteTooLong'] });
  const result = writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const found = monthsOf(tx).find((m) => m.authority === authority && m.month === month);
    if (!found) return NOT_FOUND;
    if (found.status === 'consistent') return refuse('consistent', 'official.errors.monthConsistent');
    if (basis !== found.basis) return STALE;
    const row = tx
      .insert(officialTradeConfirmations)
      .values({ authority: found.authority, month: found.month, basis: found.basis, note: text, adminId: actor.id })
      .returning({ id: officialTradeConfirmations.id })
      .get();
    recordAuditEvent(tx, {
      actorId: actor.id,
      kind: 'official_trade_month_confirmed',
      detail: { confirmationId: row.id, authority: found.authority, month: found.month, basis: found.basis, failedChecks: found.checks.filter((c) => c.status === 'inconsistent').length },
    });
    return { ok: true as const };
  });
  if (result.ok) markPublicDataChanged();
  return result;
}
