import 'server-only';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import '@/lib/zod-setup';
import type { z } from 'zod';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import {
  agencies,
  goodsCategories,
  places,
  publications,
  publishedAgencies,
  publishedGoods,
  reportAgencies,
  reportGoods,
  reports,
} from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record';
import { findReportForActor } from '@/lib/lifecycle/access';
import { isActorStill, NOT_ALLOWED, type Actor } from '@/lib/accounts/actor';
import { fieldErrorsOf } from '@/lib/accounts/schema';
import { AREA_ROLES } from '@/lib/auth/roles';
import { refusal, type Outcome, type Refusal } from '@/lib/refusal';
import { addEntrySchemas, entryIdSchema, referenceListSchema, renameEntrySchema, slugForName, type ReferenceList } from './schema';

/**
 * The managed reference lists — gazetteer places, agencies, goods categories — as admins edit
 * them (docs/product.md "Administration"). Entries are never deleted: retiring keeps them on old
 * reports but out of new forms (lib/places/gazetteer.ts offers only active entries); merging moves
 * every reference to the surviving entry in one transaction and marks the merged one retired and
 * `mergedInto`. Every change writes a `reference_list_changed` audit event in its transaction.
 * Admins only, except mapOtherAgency (editors and admins).
 */

/** One entry as the admin pages show it. */
export type ReferenceEntry = {
  id: string;
  nameEn: string;
  nameKo: string;
  /** Place or agency kind; null for goods categories. */
  kind: string | null;
  country: 'KP' | 'CN' | null;
  parentId: string | null;
  retiredAt: Date | null;
  mergedInto: string | null;
  /** Report rows that name this entry (reports for places, rows for agencies and goods). */
  uses: number;
};

const NOT_FOUND: Refusal = refusal('reference.errors.notFound');

function table(list: ReferenceList) {
  return list === 'places' ? places : list === 'agencies' ? agencies : goodsCategories;
}

function usesByEntry(db: DB | Tx, list: ReferenceList): Map<string, number> {
  const rows =
    list === 'places'
      ? db.select({ id: reports.placeId, n: sql<number>`count(*)` }).from(reports).groupBy(reports.placeId).all()
      : list === 'agencies'
        ? db.select({ id: reportAgencies.agencyId, n: sql<number>`count(*)` }).from(reportAgencies).groupBy(reportAgencies.agencyId).all()
        : db.select({ id: reportGoods.categoryId, n: sql<number>`count(*)` }).from(reportGoods).groupBy(reportGoods.categoryId).all();
  return new Map(rows.filter((r): r is { id: string; n: number } => r.id !== null).map((r) => [r.id, r.n]));
}

function selectEntries(db: DB | Tx, list: ReferenceList, id?: string): Omit<ReferenceEntry, 'uses'>[] {
  if (list === 'places') {
    const q = db
      .select({ id: places.id, nameEn: places.nameEn, nameKo: places.nameKo, kind: places.kind, country: places.country, parentId: places.parentId, retiredAt: places.retiredAt, mergedInto: places.mergedInto })
      .from(places);
    return (id ? q.where(eq(places.id, id)) : q).all();
  }
  if (list === 'agencies') {
    const q = db
      .select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo, kind: agencies.kind, retiredAt: agencies.retiredAt, mergedInto: agencies.mergedInto })
      .from(agencies);
    return (id ? q.where(eq(agencies.id, id)) : q).all().map((r) => ({ ...r, country: null, parentId: null }));
  }
  const q = db
    .select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo, retiredAt: goodsCategories.retiredAt, mergedInto: goodsCategories.mergedInto })
    .from(goodsCategories);
  return (id ? q.where(eq(goodsCategories.id, id)) : q).all().map((r) => ({ ...r, kind: null, country: null, parentId: null }));
}

/**
 * Every entry of a list (active first, then retired; by English name), with how often it is used.
 * @returns `{ ok: true, entries }` or a refusal for non-admins / unknown lists
 */
export function listReferenceEntries({ actor, list }: { actor: Actor; list: unknown }): { ok: true; list: ReferenceList; entries: ReferenceEntry[] } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const which = referenceListSchema.safeParse(list);
  if (!which.success) return NOT_FOUND;
  const uses = usesByEntry(db, which.data);
  const entries = selectEntries(db, which.data)
    .map((e) => ({ ...e, uses: uses.get(e.id) ?? 0 }))
    .sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null) || a.nameEn.localeCompare(b.nameEn, 'en'));
  return { ok: true, list: which.data, entries };
}

/** One entry for its edit page. @returns `{ ok: true, entry }` or 'reference.errors.notFound' */
export function getReferenceEntry({ actor, list, id }: { actor: Actor; list: unknown; id: unknown }): { ok: true; list: ReferenceList; entry: ReferenceEntry } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const ref = entryRefOf(list, id);
  if (!ref) return NOT_FOUND;
  const [entry] = selectEntries(db, ref.list, ref.id);
  if (!entry) return NOT_FOUND;
  return { ok: true, list: ref.list, entry: { ...entry, uses: usesByEntry(db, ref.list).get(entry.id) ?? 0 } };
}

function entryExists(tx: Tx, list: ReferenceList, id: string): boolean {
  const t = table(list);
  return !!tx.select({ id: t.id }).from(t).where(eq(t.id, id)).get();
}

function activeNameTaken(tx: Tx, list: ReferenceList, nameEn: string, exceptId?: string): boolean {
  const t = table(list);
  const conditions = [sql`${t.nameEn} = ${nameEn} COLLATE NOCASE`, isNull(t.retiredAt)];
  if (exceptId) conditions.push(ne(t.id, exceptId));
  return !!tx.select({ id: t.id }).from(t).where(and(...conditions)).get();
}

function audit(tx: Tx, actor: Actor, detail: Record<string, unknown>): void {
  recordAuditEvent(tx, { actorId: actor.id, kind: 'reference_list_changed', detail });
}

/**
 * Add an entry. Its id is made from the English name (places: "kp-…"/"cn-…"), unique.
 * @param input raw form fields: places `{ nameEn, nameKo, kind, country, parentId? }`, agencies
 *   `{ nameEn, nameKo, kind }`, goods `{ nameEn, nameKo }`
 * @returns `{ ok: true, id }` or a refusal with fieldErrors ('reference.errors.nameTaken' when an
 *   active entry already has that English name, case-insensitively)
 */
export function addReferenceEntry({ actor, list, input }: { actor: Actor; list: unknown; input: Record<string, unknown> }): { ok: true; id: string } | Refusal {
  const which = referenceListSchema.safeParse(list);
  if (!which.success) return NOT_FOUND;
  const parsed = parseNewEntry(which.data, input);
  if (!parsed.ok) return parsed;
  const { entry } = parsed;
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const { nameEn, nameKo } = entry.value;
    if (activeNameTaken(tx, entry.list, nameEn)) return refusal('reference.errors.summary', { nameEn: ['reference.errors.nameTaken'] });
    const base = slugForName(nameEn, entry.list === 'places' ? `${entry.value.country.toLowerCase()}-` : '');
    let id = base;
    for (let n = 2; entryExists(tx, entry.list, id); n += 1) id = `${base}-${n}`;
    if (entry.list === 'places') {
      const { kind, country, parentId } = entry.value;
      if (parentId) {
        const parent = tx.select({ id: places.id, retiredAt: places.retiredAt }).from(places).where(eq(places.id, parentId)).get();
        if (!parent || parent.retiredAt) return refusal('reference.errors.summary', { parentId: ['reference.errors.parentInvalid'] });
      }
      tx.insert(places).values({ id, kind, country, parentId, nameEn, nameKo }).run();
    } else if (entry.list === 'agencies') {
      tx.insert(agencies).values({ id, kind: entry.value.kind, nameEn, nameKo }).run();
    } else {
      tx.insert(goodsCategories).values({ id, nameEn, nameKo }).run();
    }
    audit(tx, actor, { list: entry.list, action: 'add', id, nameEn, nameKo });
    return { ok: true as const, id };
  });
}

type NewEntry =
  | { list: 'places'; value: z.output<(typeof addEntrySchemas)['places']> }
  | { list: 'agencies'; value: z.output<(typeof addEntrySchemas)['agencies']> }
  | { list: 'goods'; value: z.output<(typeof addEntrySchemas)['goods']> };

function parseNewEntry(list: ReferenceList, input: Record<string, unknown>): { ok: true; entry: NewEntry } | Refusal {
  const refuse = (error: z.ZodError): Refusal => refusal('reference.errors.summary', fieldErrorsOf(error));
  if (list === 'places') {
    const r = addEntrySchemas.places.safeParse(input);
    return r.success ? { ok: true, entry: { list, value: r.data } } : refuse(r.error);
  }
  if (list === 'agencies') {
    const r = addEntrySchemas.agencies.safeParse(input);
    return r.success ? { ok: true, entry: { list, value: r.data } } : refuse(r.error);
  }
  const r = addEntrySchemas.goods.safeParse(input);
  return r.success ? { ok: true, entry: { list, value: r.data } } : refuse(r.error);
}

type EntryRef = { list: ReferenceList; id: string };

/** The list and entry id a call names, or null when either is not one ('reference.errors.notFound'). */
function entryRefOf(list: unknown, id: unknown): EntryRef | null {
  const which = referenceListSchema.safeParse(list);
  const entryId = entryIdSchema.safeParse(id);
  return which.success && entryId.success ? { list: which.data, id: entryId.data } : null;
}

/**
 * Change the entry `ref` in one write transaction, for an actor who is still an active admin:
 * `change` gets the entry as it is inside the transaction and answers the result.
 * @returns `change`'s result, or a refusal: 'accounts.errors.notAllowed' | 'reference.errors.notFound'
 */
function changeEntry<T extends object>(actor: Actor, ref: EntryRef, change: (tx: Tx, entry: Omit<ReferenceEntry, 'uses'>) => Outcome<T>): Outcome<T> {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const [entry] = selectEntries(tx, ref.list, ref.id);
    return entry ? change(tx, entry) : NOT_FOUND;
  });
}

/**
 * Rename an entry in English and Korean (old reports show the new name; published snapshots keep
 * the name they were published with). Merged entries cannot be renamed.
 * @returns `{ ok: true }` or a refusal ('reference.errors.notFound' | 'reference.errors.merged' | field errors)
 */
export function renameReferenceEntry({ actor, list, id, input }: { actor: Actor; list: unknown; id: unknown; input: Record<string, unknown> }): { ok: true } | Refusal {
  const ref = entryRefOf(list, id);
  if (!ref) return NOT_FOUND;
  const parsed = renameEntrySchema.safeParse(input);
  if (!parsed.success) return refusal('reference.errors.summary', fieldErrorsOf(parsed.error));
  return changeEntry(actor, ref, (tx, entry) => {
    if (entry.mergedInto) return refusal('reference.errors.merged');
    if (entry.nameEn === parsed.data.nameEn && entry.nameKo === parsed.data.nameKo) return refusal('reference.errors.unchanged');
    if (activeNameTaken(tx, ref.list, parsed.data.nameEn, entry.id)) return refusal('reference.errors.summary', { nameEn: ['reference.errors.nameTaken'] });
    const t = table(ref.list);
    tx.update(t).set({ nameEn: parsed.data.nameEn, nameKo: parsed.data.nameKo }).where(eq(t.id, entry.id)).run();
    audit(tx, actor, { list: ref.list, action: 'rename', id: entry.id, from: { nameEn: entry.nameEn, nameKo: entry.nameKo }, to: parsed.data });
    return { ok: true as const };
  });
}

/**
 * Retire an entry: it stays on the reports that name it but new forms no longer offer it.
 * @returns `{ ok: true }` or 'reference.errors.notFound' | 'reference.errors.alreadyRetired'
 */
export function retireReferenceEntry({ actor, list, id, now = new Date() }: { actor: Actor; list: unknown; id: unknown; now?: Date }): { ok: true } | Refusal {
  const ref = entryRefOf(list, id);
  if (!ref) return NOT_FOUND;
  return changeEntry(actor, ref, (tx, entry) => {
    if (entry.retiredAt) return refusal('reference.errors.alreadyRetired');
    const t = table(ref.list);
    tx.update(t).set({ retiredAt: now }).where(eq(t.id, entry.id)).run();
    audit(tx, actor, { list: ref.list, action: 'retire', id: entry.id });
    return { ok: true as const };
  });
}

/**
 * Bring a retired (not merged) entry back into the forms.
 * @returns `{ ok: true }` or 'reference.errors.notFound' | 'reference.errors.notRetired' | 'reference.errors.merged' | 'reference.errors.nameTaken'
 */
export function restoreReferenceEntry({ actor, list, id }: { actor: Actor; list: unknown; id: unknown }): { ok: true } | Refusal {
  const ref = entryRefOf(list, id);
  if (!ref) return NOT_FOUND;
  return changeEntry(actor, ref, (tx, entry) => {
    if (entry.mergedInto) return refusal('reference.errors.merged');
    if (!entry.retiredAt) return refusal('reference.errors.notRetired');
    if (activeNameTaken(tx, ref.list, entry.nameEn, entry.id)) return refusal('reference.errors.nameTaken');
    const t = table(ref.list);
    tx.update(t).set({ retiredAt: null }).where(eq(t.id, entry.id)).run();
    audit(tx, actor, { list: ref.list, action: 'restore', id: entry.id });
    return { ok: true as const };
  });
}

/**
 * Merge entry `id` into the surviving entry `intoId` of the same list, in one transaction: every
 * reference moves to the survivor — places: reports, publications' coarsened place, child places
 * and earlier merges; agencies: report and published agency rows; goods: report and published goods
 * rows — and the merged entry is marked retired and `mergedInto`. Published snapshots keep the
 * names they were published with.
 * @returns `{ ok: true, moved }` (rows moved) or a refusal: 'reference.errors.notFound' |
 *   'reference.errors.merged' | 'reference.errors.mergeSelf' | 'reference.errors.mergeTarget'
 */
export function mergeReferenceEntry({
  actor,
  list,
  id,
  intoId,
  now = new Date(),
}: {
  actor: Actor;
  list: unknown;
  id: unknown;
  intoId: unknown;
  now?: Date;
}): { ok: true; moved: number } | Refusal {
  const ref = entryRefOf(list, id);
  if (!ref) return NOT_FOUND;
  const target = entryIdSchema.safeParse(intoId);
  if (!target.success) return refusal('reference.errors.summary', { intoId: ['reference.errors.mergeTarget'] });
  if (target.data === ref.id) return refusal('reference.errors.summary', { intoId: ['reference.errors.mergeSelf'] });
  return changeEntry(actor, ref, (tx, entry) => {
    if (entry.mergedInto) return refusal('reference.errors.merged');
    const [survivor] = selectEntries(tx, ref.list, target.data);
    if (!survivor || survivor.retiredAt || survivor.mergedInto) {
      return refusal('reference.errors.summary', { intoId: ['reference.errors.mergeTarget'] });
    }
    let moved = 0;
    if (ref.list === 'places') {
      moved += tx.update(reports).set({ placeId: survivor.id }).where(eq(reports.placeId, entry.id)).run().changes;
      moved += tx.update(publications).set({ placeId: survivor.id }).where(eq(publications.placeId, entry.id)).run().changes;
      // Children of the merged place now lie in the survivor (the survivor itself, if it was one
      // of them, takes the merged place's parent instead, so no place becomes its own parent).
      tx.update(places).set({ parentId: entry.parentId }).where(and(eq(places.id, survivor.id), eq(places.parentId, entry.id))).run();
      tx.update(places).set({ parentId: survivor.id }).where(eq(places.parentId, entry.id)).run();
      tx.update(places).set({ mergedInto: survivor.id }).where(eq(places.mergedInto, entry.id)).run();
      tx.update(places).set({ retiredAt: entry.retiredAt ?? now, mergedInto: survivor.id }).where(eq(places.id, entry.id)).run();
    } else if (ref.list === 'agencies') {
      moved += tx.update(reportAgencies).set({ agencyId: survivor.id }).where(eq(reportAgencies.agencyId, entry.id)).run().changes;
      moved += tx.update(publishedAgencies).set({ agencyId: survivor.id }).where(eq(publishedAgencies.agencyId, entry.id)).run().changes;
      tx.update(agencies).set({ mergedInto: survivor.id }).where(eq(agencies.mergedInto, entry.id)).run();
      tx.update(agencies).set({ retiredAt: entry.retiredAt ?? now, mergedInto: survivor.id }).where(eq(agencies.id, entry.id)).run();
    } else {
      moved += tx.update(reportGoods).set({ categoryId: survivor.id }).where(eq(reportGoods.categoryId, entry.id)).run().changes;
      moved += tx.update(publishedGoods).set({ categoryId: survivor.id }).where(eq(publishedGoods.categoryId, entry.id)).run().changes;
      tx.update(goodsCategories).set({ mergedInto: survivor.id }).where(eq(goodsCategories.mergedInto, entry.id)).run();
      tx.update(goodsCategories).set({ retiredAt: entry.retiredAt ?? now, mergedInto: survivor.id }).where(eq(goodsCategories.id, entry.id)).run();
    }
    audit(tx, actor, { list: ref.list, action: 'merge', id: entry.id, into: survivor.id, moved });
    return { ok: true as const, moved };
  });
}

/**
 * Map a partner's "other" agency (a report_agencies row with no agency and a typed name) to an
 * entry of the agency list. The typed name is kept beside it (the partner's words are never
 * overwritten). Editors and admins; the report must be one they may see (not a draft), else
 * 'reference.errors.notFound' (404 for the caller).
 * @param reportAgencyRowId report_agencies.id of the row
 * @param agencyId an active agency id
 * @returns `{ ok: true, reportId }` or a refusal: 'reference.errors.notFound' |
 *   'reference.errors.alreadyMapped' | 'reference.errors.agencyInvalid'
 */
export function mapOtherAgency({
  actor,
  reportAgencyRowId,
  agencyId,
}: {
  actor: Actor;
  reportAgencyRowId: unknown;
  agencyId: unknown;
}): { ok: true; reportId: number } | Refusal {
  const rowId = typeof reportAgencyRowId === 'string' && /^\d{1,15}$/.test(reportAgencyRowId) ? Number(reportAgencyRowId) : reportAgencyRowId;
  if (typeof rowId !== 'number' || !Number.isSafeInteger(rowId) || rowId <= 0) return NOT_FOUND;
  const agency = entryIdSchema.safeParse(agencyId);
  if (!agency.success) return refusal('reference.errors.summary', { agencyId: ['reference.errors.agencyInvalid'] });
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.editor)) return NOT_ALLOWED;
    const row = tx
      .select({ id: reportAgencies.id, reportId: reportAgencies.reportId, agencyId: reportAgencies.agencyId, otherName: reportAgencies.otherName })
      .from(reportAgencies)
      .where(eq(reportAgencies.id, rowId))
      .get();
    if (!row || !findReportForActor({ actor, reportId: row.reportId, tx })) return NOT_FOUND;
    if (row.agencyId) return refusal('reference.errors.alreadyMapped');
    const target = tx.select({ id: agencies.id, retiredAt: agencies.retiredAt }).from(agencies).where(eq(agencies.id, agency.data)).get();
    if (!target || target.retiredAt) return refusal('reference.errors.summary', { agencyId: ['reference.errors.agencyInvalid'] });
    tx.update(reportAgencies).set({ agencyId: target.id }).where(and(eq(reportAgencies.id, row.id), isNull(reportAgencies.agencyId))).run();
    audit(tx, actor, { list: 'agencies', action: 'map_other_agency', reportId: row.reportId, rowId: row.id, id: target.id });
    return { ok: true as const, reportId: row.reportId };
  });
}
