import 'server-only';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { accounts, invitations, type AccountStatus, type Role } from '@/db/schema';
import { AREA_ROLES } from '@/lib/auth/roles';
import { recordAuditEvent } from '@/lib/audit/record';
import { isDemoMode } from '@/lib/env';
import { clearNotificationSettings } from '@/lib/notifications/settings';
import { refusal, type Outcome, type Refusal } from '@/lib/refusal';
import { NOT_ALLOWED, isActorStill, type Actor } from './actor';
import { createOneTimeToken } from './one-time-token';
import { accountIdSchema, changeRoleSchema, createAccountSchema, fieldErrorsOf, INVITATION_LIFETIME_MS } from './schema';
import { clearTwoFactor, countUnusedRecoveryCodes } from './two-factor';
import { twoFactorStateOf, type TwoFactorState } from './two-factor-state';

/**
 * Account administration (docs/product.md "Administration", docs/security/README.md "Accounts and sessions").
 * Every function takes `{ actor, ... }`, refuses anyone who is not an active admin, and writes its
 * change, the session_version bump (which ends the account's open sessions at their next request)
 * and its audit event in one transaction. Results: `{ ok: true, ... }` or a lib/refusal.ts
 * `Refusal` (`{ ok: false, messageKey, fieldErrors? }`) with i18n keys from accounts.json.
 */

/** One row of the accounts page. Times are Dates (UTC instants); never a hash, secret or token. */
export type AccountSummary = {
  id: number;
  codeName: string;
  role: Role;
  status: AccountStatus;
  hasPassword: boolean;
  hasTwoFactor: boolean;
  /** Where it stands with two-factor sign-in (lib/accounts/two-factor-state.ts). */
  twoFactor: TwoFactorState;
  /** One of the demo accounts (exempt from required 2FA only in demo mode). */
  isDemo: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  /** An unused, unexpired invitation or reset link exists (its token is never shown again). */
  openLink: { purpose: 'invite' | 'reset' | 'bootstrap'; expiresAt: Date } | null;
};

type AccountRow = { id: number; codeName: string; role: Role; status: AccountStatus; sessionVersion: number; totpSecret: string | null };

/**
 * Change the account `accountId` in one write transaction, for an actor who is still an active
 * admin: `change` gets the account as it is inside the transaction and answers the result.
 * @returns `change`'s result, or a refusal: 'accounts.errors.notFound' (no such account, or an id
 *   that is not one) | 'accounts.errors.notAllowed'
 */
function changeAccount<T extends object>(actor: Actor, accountId: unknown, change: (tx: Tx, target: AccountRow) => Outcome<T>): Outcome<T> {
  const id = accountIdSchema.safeParse(accountId);
  if (!id.success) return refusal('accounts.errors.notFound');
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const target = tx
      .select({ id: accounts.id, codeName: accounts.codeName, role: accounts.role, status: accounts.status, sessionVersion: accounts.sessionVersion, totpSecret: accounts.totpSecret })
      .from(accounts)
      .where(eq(accounts.id, id.data))
      .get();
    return target ? change(tx, target) : refusal('accounts.errors.notFound');
  });
}

function countActiveAdmins(tx: Tx): number {
  const row = tx
    .select({ n: sql<number>`count(*)` })
    .from(accounts)
    .where(and(eq(accounts.role, 'admin'), eq(accounts.status, 'active')))
    .get();
  return row?.n ?? 0;
}

/** Expire every open link of an account (a new link, a reset or a deactivation replaces them). */
function expireOpenLinks(tx: Tx, accountId: number, now: Date): void {
  tx.update(invitations)
    .set({ expiresAt: now })
    .where(and(eq(invitations.accountId, accountId), isNull(invitations.usedAt), gt(invitations.expiresAt, now)))
    .run();
}

function issueLink(tx: Tx, { accountId, purpose, createdBy, now }: { accountId: number; purpose: 'invite' | 'reset'; createdBy: number; now: Date }) {
  const { token, tokenHash } = createOneTimeToken();
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  tx.insert(invitations).values({ accountId, tokenHash, purpose, expiresAt, createdBy, createdAt: now }).run();
  return { token, expiresAt };
}

function bumpSessionVersion(tx: Tx, accountId: number, changes: Partial<typeof accounts.$inferInsert>, now: Date): void {
  tx.update(accounts)
    .set({ ...changes, sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: now })
    .where(eq(accounts.id, accountId))
    .run();
}

function openLinksByAccount(tx: Tx | DB, now: Date) {
  const rows = tx
    .select({ accountId: invitations.accountId, purpose: invitations.purpose, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(isNull(invitations.usedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.expiresAt))
    .all();
  const map = new Map<number, AccountSummary['openLink']>();
  for (const r of rows) if (!map.has(r.accountId)) map.set(r.accountId, { purpose: r.purpose, expiresAt: r.expiresAt });
  return map;
}

/** An account row of summaryColumns as the pages see it (flags as booleans, the 2FA standing). */
function summaryOf(row: SummaryRow): Omit<AccountSummary, 'openLink'> {
  const hasTwoFactor = !!row.hasTwoFactor;
  return { ...row, hasPassword: !!row.hasPassword, hasTwoFactor, twoFactor: twoFactorStateOf({ role: row.role, hasTwoFactor, isDemoAccount: row.isDemo, isDemoMode: isDemoMode() }) };
}

const summaryColumns = {
  id: accounts.id,
  codeName: accounts.codeName,
  role: accounts.role,
  status: accounts.status,
  hasPassword: sql<number>`${accounts.passwordHash} IS NOT NULL`,
  hasTwoFactor: sql<number>`${accounts.totpSecret} IS NOT NULL`,
  isDemo: accounts.isDemo,
  lastSignInAt: accounts.lastSignInAt,
  createdAt: accounts.createdAt,
};
type SummaryRow = Omit<AccountSummary, 'hasPassword' | 'hasTwoFactor' | 'twoFactor' | 'openLink'> & { hasPassword: number; hasTwoFactor: number };

/**
 * All accounts for the accounts page, ordered by code name (case-insensitively).
 * @returns `{ ok: true, accounts }` or a refusal for non-admins
 */
export function listAccounts({ actor, now = new Date() }: { actor: Actor; now?: Date }): { ok: true; accounts: AccountSummary[] } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const links = openLinksByAccount(db, now);
  const rows = db.select(summaryColumns).from(accounts).orderBy(sql`${accounts.codeName} COLLATE NOCASE`).all();
  return {
    ok: true,
    accounts: rows.map((r) => ({ ...summaryOf(r), openLink: links.get(r.id) ?? null })),
  };
}

/**
 * One account for its admin page, with the number of unused recovery codes.
 * @returns `{ ok: true, account }`, or a refusal ('accounts.errors.notFound' for an unknown id)
 */
export function getAccountForAdmin({
  actor,
  accountId,
  now = new Date(),
}: {
  actor: Actor;
  accountId: unknown;
  now?: Date;
}): { ok: true; account: AccountSummary & { unusedRecoveryCodes: number } } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const id = accountIdSchema.safeParse(accountId);
  if (!id.success) return refusal('accounts.errors.notFound');
  const row = db.select(summaryColumns).from(accounts).where(eq(accounts.id, id.data)).get();
  if (!row) return refusal('accounts.errors.notFound');
  return {
    ok: true,
    account: {
      ...summaryOf(row),
      openLink: openLinksByAccount(db, now).get(row.id) ?? null,
      unusedRecoveryCodes: countUnusedRecoveryCodes({ accountId: row.id }, db),
    },
  };
}

/** A one-time link made by createAccount or resetAccount: shown to the admin once, never stored. */
export type IssuedLink = { token: string; expiresAt: Date };

/**
 * Create an account without a password and a one-time invitation link (72 hours) where the person
 * sets their own. The code name must be free case-insensitively ("Agent-7" blocks "agent-7").
 * @param input raw form fields `{ codeName, role }` (validated here with createAccountSchema)
 * @returns `{ ok: true, account, link }` or a refusal with fieldErrors
 *   (codeName: 'auth.errors.*' or 'accounts.errors.codeNameTaken'; role: 'accounts.errors.roleInvalid')
 */
export function createAccount({
  actor,
  input,
  now = new Date(),
}: {
  actor: Actor;
  input: Record<string, unknown>;
  now?: Date;
}): { ok: true; account: { id: number; codeName: string; role: Role }; link: IssuedLink } | Refusal {
  const parsed = createAccountSchema.safeParse(input);
  if (!parsed.success) return refusal('accounts.errors.summary', fieldErrorsOf(parsed.error));
  const { codeName, role } = parsed.data;
  const taken = refusal('accounts.errors.summary', { codeName: ['accounts.errors.codeNameTaken'] });
  try {
    return writeTransaction((tx) => {
      if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
      const existing = tx.select({ id: accounts.id }).from(accounts).where(sql`${accounts.codeName} = ${codeName} COLLATE NOCASE`).get();
      if (existing) return taken;
      const [row] = tx
        .insert(accounts)
        .values({ codeName, role, passwordHash: null, createdAt: now, updatedAt: now })
        .returning({ id: accounts.id })
        .all();
      if (!row) throw new Error('Account insert returned no row');
      const link = issueLink(tx, { accountId: row.id, purpose: 'invite', createdBy: actor.id, now });
      recordAuditEvent(tx, { actorId: actor.id, kind: 'account_created', targetAccountId: row.id, detail: { codeName, role } });
      return { ok: true as const, account: { id: row.id, codeName, role }, link };
    });
  } catch (error) {
    // The NOCASE unique index is the last word if two admins create the same name at once.
    if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return taken;
    throw error;
  }
}

/**
 * Change an account's role. Refuses to demote the last active admin (checked inside the
 * transaction, so two admins demoting each other at once cannot both succeed).
 * @returns `{ ok: true }` or a refusal: 'accounts.errors.notFound' | 'accounts.errors.roleUnchanged'
 *   | 'accounts.errors.lastAdmin' | 'accounts.errors.roleInvalid'
 */
export function changeRole({ actor, input, now = new Date() }: { actor: Actor; input: Record<string, unknown>; now?: Date }): { ok: true } | Refusal {
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return refusal('accounts.errors.summary', fieldErrorsOf(parsed.error));
  const { accountId, role } = parsed.data;
  return changeAccount(actor, accountId, (tx, target) => {
    if (target.role === role) return refusal('accounts.errors.roleUnchanged');
    if (target.role === 'admin' && target.status === 'active' && countActiveAdmins(tx) <= 1) {
      return refusal('accounts.errors.lastAdmin');
    }
    bumpSessionVersion(tx, target.id, { role }, now);
    // A partner never has an e-mail address on file (lib/notifications/settings.ts): an address can identify them.
    if (role === 'partner') clearNotificationSettings(tx, target.id);
    recordAuditEvent(tx, { actorId: actor.id, kind: 'account_role_changed', targetAccountId: target.id, detail: { codeName: target.codeName, from: target.role, to: role } });
    return { ok: true as const };
  });
}

/**
 * Deactivate an account: its sessions end at their next request, its open links expire, it
 * cannot sign in, and its e-mail digest is turned off with its address deleted
 * (lib/notifications/settings.ts clearNotificationSettings). The last active admin cannot be deactivated.
 * @returns `{ ok: true }` or a refusal: 'accounts.errors.notFound' | 'accounts.errors.alreadyDeactivated' | 'accounts.errors.lastAdmin'
 */
export function deactivateAccount({ actor, accountId, now = new Date() }: { actor: Actor; accountId: unknown; now?: Date }): { ok: true } | Refusal {
  return changeAccount(actor, accountId, (tx, target) => {
    if (target.status !== 'active') return refusal('accounts.errors.alreadyDeactivated');
    if (target.role === 'admin' && countActiveAdmins(tx) <= 1) return refusal('accounts.errors.lastAdmin');
    bumpSessionVersion(tx, target.id, { status: 'deactivated' }, now);
    expireOpenLinks(tx, target.id, now);
    const digestCleared = clearNotificationSettings(tx, target.id);
    recordAuditEvent(tx, { actorId: actor.id, kind: 'account_deactivated', targetAccountId: target.id, detail: { codeName: target.codeName, ...(digestCleared ? { digest: 'turned off' } : {}) } });
    return { ok: true as const };
  });
}

/**
 * Reactivate a deactivated account (its password and 2FA are as they were; issue a reset link if
 * the person needs a new password).
 * @returns `{ ok: true }` or a refusal: 'accounts.errors.notFound' | 'accounts.errors.alreadyActive'
 */
export function reactivateAccount({ actor, accountId, now = new Date() }: { actor: Actor; accountId: unknown; now?: Date }): { ok: true } | Refusal {
  return changeAccount(actor, accountId, (tx, target) => {
    if (target.status === 'active') return refusal('accounts.errors.alreadyActive');
    bumpSessionVersion(tx, target.id, { status: 'active' }, now);
    recordAuditEvent(tx, { actorId: actor.id, kind: 'account_reactivated', targetAccountId: target.id, detail: { codeName: target.codeName } });
    return { ok: true as const };
  });
}

/**
 * Reset an account's password: clear it, end its sessions, expire older links, turn its e-mail
 * digest off and delete the address (someone who took the account over may have set it), and
 * issue a new one-time link (72 hours). Two-factor sign-in stays as it was — a reset never bypasses 2FA.
 * @returns `{ ok: true, link, codeName }` or a refusal: 'accounts.errors.notFound' | 'accounts.errors.deactivated'
 */
export function resetAccount({ actor, accountId, now = new Date() }: { actor: Actor; accountId: unknown; now?: Date }): { ok: true; link: IssuedLink; codeName: string } | Refusal {
  return changeAccount(actor, accountId, (tx, target) => {
    if (target.status !== 'active') return refusal('accounts.errors.deactivated');
    bumpSessionVersion(tx, target.id, { passwordHash: null }, now);
    expireOpenLinks(tx, target.id, now);
    const link = issueLink(tx, { accountId: target.id, purpose: 'reset', createdBy: actor.id, now });
    const digestCleared = clearNotificationSettings(tx, target.id);
    recordAuditEvent(tx, { actorId: actor.id, kind: 'account_reset', targetAccountId: target.id, detail: { codeName: target.codeName, ...(digestCleared ? { digest: 'turned off' } : {}) } });
    return { ok: true as const, link, codeName: target.codeName };
  });
}

/**
 * Reset an account's two-factor sign-in (lost phone): remove the TOTP secret and every recovery
 * code and end its sessions. Editors and admins enrol again at their next sign-in.
 * @returns `{ ok: true }` or a refusal: 'accounts.errors.notFound' | 'accounts.errors.noTwoFactor'
 */
export function resetTwoFactor({ actor, accountId, now = new Date() }: { actor: Actor; accountId: unknown; now?: Date }): { ok: true } | Refusal {
  return changeAccount(actor, accountId, (tx, target) => {
    if (!target.totpSecret) return refusal('accounts.errors.noTwoFactor');
    clearTwoFactor(tx, { accountId: target.id, sessionVersion: target.sessionVersion, now });
    recordAuditEvent(tx, { actorId: actor.id, kind: 'two_factor_reset', targetAccountId: target.id, detail: { codeName: target.codeName } });
    return { ok: true as const };
  });
}
