/**
 * Authorization cases of the admin's area: accounts, reference lists, official statistics and the
 * audit log are for admins alone.
 */
import { countRows, rowJson, withDb } from '../security-kit';
import { action, ADMIN_AREA, ADMINS, at, form, hex, type ActionCall, type ActionCase, type PageCase, type RouteCase } from './cases';
import { freshAccount, freshAgency } from './world';

export const PAGES: Record<string, PageCase[]> = {
  '/admin': [at('accounts', '/admin', ADMIN_AREA)],
  '/admin/audit': [at('audit log', '/admin/audit', ADMIN_AREA)],
  '/admin/lists': [at('reference lists', '/admin/lists?list=agencies', ADMIN_AREA)],
  '/admin/accounts/[id]': [
    at('an account', (w) => `/admin/accounts/${w.otherPartner.id}`, ADMIN_AREA),
    at('no such account', '/admin/accounts/99999999', { ...ADMIN_AREA, admin: 404 }),
  ],
  '/admin/official': [at('official statistics', '/admin/official', ADMIN_AREA)],
  '/admin/official/imports/[id]': [at('no such import', '/admin/official/imports/99999999', { ...ADMIN_AREA, admin: 404 })],
  '/admin/lists/[list]/[id]': [
    at('a gazetteer entry', '/admin/lists/places/kp-hyesan', ADMIN_AREA),
    at('no such list', '/admin/lists/secrets/kp-hyesan', { ...ADMIN_AREA, admin: 404 }),
  ],
};

/** None: every route handler of this area is a page's or a Server Action's. */
export const ROUTES: Record<string, RouteCase[]> = {
  'GET /admin/audit/export': [at('the audit log as CSV (one day)', '/admin/audit/export?from=2020-01-01&to=2020-01-01', ADMIN_AREA)],
};

const STATE = { ok: true };
/** A post on the admin's pages, probed by a row. */
const post = (page: string, fields: Parameters<typeof form>[0], probe: () => unknown): ActionCall => ({ page, args: [STATE, form(fields)], probe });
/** The one case of an admin's action: admins alone may, `call` prepared afresh for each caller. */
const byAdmins = (label: string, call: () => ActionCall): ActionCase[] => [action(label, ADMINS, call)];

/** An admin's change to a fresh account of `role` (`extra` its start), probed by its row (and `more`). */
function onAccount(label: string, role: string, extra: Parameters<typeof freshAccount>[1] = {}, fields: Record<string, string> = {}, more: (id: number) => number | string = () => ''): ActionCase[] {
  return byAdmins(label, () => {
    const id = freshAccount(role, extra);
    return post('/admin', { accountId: String(id), ...fields }, () => rowJson('accounts', 'id = ?', id) + more(id));
  });
}

/** An admin's change to a fresh agency (`fields` besides its id), probed by its row. */
function onAgency(label: string, fields: (id: string) => Record<string, string> = () => ({}), { retired = false } = {}): ActionCase[] {
  return byAdmins(label, () => {
    const id = freshAgency({ retired });
    return post('/admin/lists', { list: 'agencies', id, ...fields(id) }, () => rowJson('agencies', 'id = ?', id));
  });
}

const OFFICIAL_HEADER = 'month,authority,flow,value,unit,yoy_change_pct,source_name,source_url';

/** A month with no official figure yet (from 1990-01 on), so each case's figures are its own. */
function freeOfficialMonth(): string {
  return withDb((db) => {
    const taken = new Set((db.prepare('SELECT DISTINCT month FROM official_trade_figures').pluck().all() as string[]));
    for (let year = 1990; ; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const key = `${year}-${String(month).padStart(2, '0')}`;
        // The year before must be free too: a confirmation's basis names its figures as well
        // (lib/official/store.ts confirmationBasis), which flaggedOfficialMonth leaves empty.
        if (!taken.has(key) && !taken.has(`${year - 1}-${String(month).padStart(2, '0')}`)) return key;
      }
    }
  });
}

/** A pending import of `adminId` holding one figure for a free month; its id and the store's basis. */
function pendingOfficialImport(adminId: number): { id: number; basis: string } {
  const row = { line: 2, month: freeOfficialMonth(), authority: 'cn_customs', flow: 'total', value: '1', unit: 'usd_million', yoyChangePct: null, sourceName: 'authz', sourceUrl: null };
  return withDb((db) => {
    const id = (
      db
        .prepare("INSERT INTO official_trade_imports (admin_id, status, file_name, file_sha256, rows, expires_at) VALUES (?, 'pending', 'authz.csv', 'x', ?, ?) RETURNING id")
        .get(adminId, JSON.stringify([row]), Date.now() + 30 * 60 * 1000) as { id: number }
    ).id;
    const basis = String(db.prepare('SELECT coalesce(max(id), 0) FROM official_trade_figures').pluck().get());
    return { id, basis };
  });
}

/** A flagged month (a part larger than its total) stored for `adminId`; its month and confirmation basis. */
function flaggedOfficialMonth(adminId: number): { month: string; basis: string } {
  const month = freeOfficialMonth();
  return withDb((db) => {
    const importId = (
      db.prepare("INSERT INTO official_trade_imports (admin_id, status, file_name, file_sha256, rows, expires_at) VALUES (?, 'stored', 'authz.csv', 'x', '[]', 0) RETURNING id").get(adminId) as { id: number }
    ).id;
    const insert = db.prepare("INSERT INTO official_trade_figures (import_id, authority, month, flow, value, unit, source_name, revision) VALUES (?, 'cn_customs', ?, ?, ?, 'usd_million', 'authz', 1) RETURNING id");
    const ids = [(insert.get(importId, month, 'imports_to_kp_from_cn', '20') as { id: number }).id, (insert.get(importId, month, 'total', '10') as { id: number }).id];
    return { month, basis: `${ids.sort((a, b) => a - b).join(',')}|` };
  });
}

export const ACTIONS: Record<string, ActionCase[]> = {
  'app/(admin)/admin/official/actions.ts#uploadOfficialFileAction': byAdmins('upload a file of official figures (a pending import)', () => {
    const csv = `${OFFICIAL_HEADER}\r\n${freeOfficialMonth()},cn_customs,total,1,usd_million,,authz,\r\n`;
    return post('/admin/official', { file: new File([csv], 'authz.csv', { type: 'text/csv' }) }, () => countRows('official_trade_imports'));
  }),
  'app/(admin)/admin/official/actions.ts#confirmOfficialImportAction': [
    action('store a previewed import', ADMINS, (w) => {
      const pending = pendingOfficialImport(w.admin.id);
      return post(`/admin/official/imports/${pending.id}`, { importId: String(pending.id), basis: pending.basis }, () => countRows('official_trade_figures'));
    }),
  ],
  'app/(admin)/admin/official/actions.ts#discardOfficialImportAction': [
    action('discard a previewed import', ADMINS, (w) => {
      const pending = pendingOfficialImport(w.admin.id);
      return post(`/admin/official/imports/${pending.id}`, { importId: String(pending.id) }, () => rowJson('official_trade_imports', 'id = ?', pending.id));
    }),
  ],
  'app/(admin)/admin/official/actions.ts#confirmOfficialMonthAction': [
    action('confirm a flagged month with a note', ADMINS, (w) => {
      const flagged = flaggedOfficialMonth(w.admin.id);
      return post('/admin/official', { authority: 'cn_customs', month: flagged.month, basis: flagged.basis, note: 'authz: as quoted' }, () => countRows('official_trade_confirmations', 'month = ?', flagged.month));
    }),
  ],
  'app/(admin)/admin/actions.ts#createAccountAction': byAdmins('create an account', () => {
    const codeName = `authz-new-${hex()}`;
    return post('/admin', { codeName, role: 'admin' }, () => countRows('accounts', 'code_name = ?', codeName));
  }),
  'app/(admin)/admin/actions.ts#changeRoleAction': onAccount('make a partner an admin', 'partner', {}, { role: 'admin' }),
  'app/(admin)/admin/actions.ts#deactivateAction': onAccount('deactivate an account (confirmed)', 'partner', {}, { confirm: 'yes' }),
  'app/(admin)/admin/actions.ts#reactivateAction': onAccount('reactivate an account', 'partner', { status: 'deactivated' }),
  'app/(admin)/admin/actions.ts#resetAction': onAccount('reset a password (new one-time link)', 'partner', {}, {}, (id) => countRows('invitations', 'account_id = ?', id)),
  'app/(admin)/admin/actions.ts#resetTwoFactorAction': onAccount("remove an account's two-step sign-in", 'editor', { totpSecret: 'JBSWY3DPEHPK3PXP' }),
  'app/(admin)/admin/lists/actions.ts#addEntryAction': byAdmins('add an agency', () => {
    const nameEn = `Authz Added ${hex()}`;
    return post('/admin/lists', { list: 'agencies', nameEn, nameKo: '추가', kind: 'trading_company' }, () => countRows('agencies', 'name_en = ?', nameEn));
  }),
  'app/(admin)/admin/lists/actions.ts#renameEntryAction': onAgency('rename an agency', () => ({ nameEn: `Renamed ${hex()}`, nameKo: '새 이름' })),
  'app/(admin)/admin/lists/actions.ts#retireEntryAction': onAgency('retire an agency'),
  'app/(admin)/admin/lists/actions.ts#restoreEntryAction': onAgency('restore a retired agency', undefined, { retired: true }),
  'app/(admin)/admin/lists/actions.ts#mergeEntryAction': onAgency('merge an agency into another (confirmed)', () => ({ intoId: freshAgency(), confirm: 'yes' })),
};
