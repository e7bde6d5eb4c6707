/**
 * Authorization cases of the admin's area: accounts, reference lists and the audit log are for
 * admins alone.
 */
import { countRows, rowJson } from '../security-kit';
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
const post = (page: string, fields: Record<string, string>, probe: () => unknown): ActionCall => ({ page, args: [STATE, form(fields)], probe });
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

export const ACTIONS: Record<string, ActionCase[]> = {
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
