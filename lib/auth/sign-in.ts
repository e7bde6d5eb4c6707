import 'server-only';
import { eq, lt, sql } from 'drizzle-orm';
import type { PendingSignIn } from './pending-sign-in';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, endedSessions, type Role } from '@/db/schema';
import { recordAuditEvent, recordSignInFailureEvent } from '@/lib/audit/record';
import { verifyPassword } from '@/lib/accounts/password';

export type VerifiedAccount = { id: number; codeName: string; role: Role; sessionVersion: number; totpSecret: string | null; isDemo: boolean };

/** The columns of a VerifiedAccount, with the account's status. */
const signInColumns = {
  id: accounts.id,
  codeName: accounts.codeName,
  role: accounts.role,
  status: accounts.status,
  sessionVersion: accounts.sessionVersion,
  totpSecret: accounts.totpSecret,
  isDemo: accounts.isDemo,
};

/** A row of signInColumns as the pipeline passes it on (without its status). */
function verifiedAccountOf(row: VerifiedAccount & { status: string }): VerifiedAccount {
  return { id: row.id, codeName: row.codeName, role: row.role, sessionVersion: row.sessionVersion, totpSecret: row.totpSecret, isDemo: row.isDemo };
}

/**
 * Check a code name and password. Unknown code name, wrong password and deactivated account all
 * return the same refusal after about the same time (a dummy Argon2 verification runs for unknown
 * names). Records `sign_in_failed` in the audit log, collapsed per account, reason, address and
 * 15 minutes (lib/audit/record.ts recordSignInFailureEvent; never the password typed, never the address).
 * @param clientIp the caller's address, only ever part of a keyed digest (null → 'unknown')
 * @returns the account on success, or null.
 */
export async function verifyCredentials({ codeName, password, clientIp }: { codeName: string; password: string; clientIp?: string | null }): Promise<VerifiedAccount | null> {
  const row = getDb()
    .select({ ...signInColumns, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(sql`${accounts.codeName} = ${codeName} COLLATE NOCASE`)
    .get();
  const isPasswordRight = await verifyPassword(row?.passwordHash ?? null, password);
  if (!row || !isPasswordRight || row.status !== 'active') {
    writeTransaction((tx) =>
      recordSignInFailureEvent(tx, {
        targetAccountId: row?.id ?? null,
        reason: !row ? 'unknown_code_name' : !isPasswordRight ? 'wrong_password' : 'deactivated',
        clientAddress: clientIp,
      }),
    );
    return null;
  }
  return verifiedAccountOf(row);
}

/**
 * The account as the sign-in pipeline needs it, for the second step (by id). Null when the account
 * is gone or deactivated.
 */
export function findSignInAccount(accountId: number): VerifiedAccount | null {
  const row = getDb().select(signInColumns).from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row || row.status !== 'active') return null;
  return verifiedAccountOf(row);
}

/**
 * Record a completed sign-in: last_sign_in_at and a `sign_in` audit event, in one transaction.
 * @param method how the last step was proven: 'password' alone, a 'totp' code, a 'recovery' code,
 *   or 'enrolment' (first TOTP code while setting up two-factor sign-in)
 */
export function recordSignIn(accountId: number, method: 'password' | 'totp' | 'recovery' | 'enrolment' = 'password'): void {
  writeTransaction((tx) => {
    tx.update(accounts).set({ lastSignInAt: new Date() }).where(eq(accounts.id, accountId)).run();
    recordAuditEvent(tx, { actorId: accountId, kind: 'sign_in', targetAccountId: accountId, detail: { method } });
  });
}

/**
 * Record a refused attempt that did not reach the password check (throttled) or failed at the
 * second step (wrong or reused code), collapsed like every failed sign-in (lib/audit/record.ts
 * recordSignInFailureEvent). Never the code or password typed, never an IP address.
 */
export function recordSignInRefusal({ accountId, reason, clientIp }: { accountId: number | null; reason: 'throttled' | 'wrong_code'; clientIp?: string | null }): void {
  writeTransaction((tx) => recordSignInFailureEvent(tx, { targetAccountId: accountId, reason, clientAddress: clientIp }));
}

/**
 * Sign a session out: record its session id in ended_sessions (every copy of that token is refused
 * from now on; the account's other sessions go on) and the sign-out in the audit log, in one
 * transaction. Rows of sessions whose tokens have expired anyway are deleted on the way.
 * @param session the live session (lib/auth/session.ts getCurrentSession): account, id, expiry (UTC ms)
 */
export function recordSignOut(session: { account: { id: number }; sessionId: string; expiresAtMs: number }, now = Date.now()): void {
  writeTransaction((tx) => {
    tx.delete(endedSessions).where(lt(endedSessions.expiresAt, new Date(now))).run();
    tx.insert(endedSessions)
      .values({ sessionId: session.sessionId, accountId: session.account.id, endedAt: new Date(now), expiresAt: new Date(session.expiresAtMs) })
      .onConflictDoNothing()
      .run();
    recordAuditEvent(tx, { actorId: session.account.id, kind: 'sign_out', targetAccountId: session.account.id });
  });
}

/** The ended_sessions key of a completed pending step (prefixed: these rows are not sessions). */
function pendingStepKey(pending: Pick<PendingSignIn, 'id'>): string {
  return `pending:${pending.id}`;
}

/**
 * True when this pending second step has already completed a sign-in (its id is recorded; see
 * {@link claimPendingStep}). Checked before a code is verified, so a replayed step spends no code.
 */
export function isPendingStepUsed(pending: Pick<PendingSignIn, 'id'>): boolean {
  return !!getDb().select({ sessionId: endedSessions.sessionId }).from(endedSessions).where(eq(endedSessions.sessionId, pendingStepKey(pending))).get();
}

/**
 * Mark a pending second step used, once: its id goes into ended_sessions (the table of token ids
 * refused until their expiry) until the step's token expires, so the pending cookie is single-use
 * (docs/security/README.md "Accounts and sessions"). Atomic: of two requests racing with the same
 * step, one wins.
 * @returns true for the request that completes the step, false when it was already used
 */
export function claimPendingStep(pending: Pick<PendingSignIn, 'id' | 'accountId' | 'expiresAtMs'>, now = Date.now()): boolean {
  return writeTransaction((tx) => {
    const inserted = tx
      .insert(endedSessions)
      .values({ sessionId: pendingStepKey(pending), accountId: pending.accountId, endedAt: new Date(now), expiresAt: new Date(pending.expiresAtMs) })
      .onConflictDoNothing()
      .run();
    return inserted.changes === 1;
  });
}
