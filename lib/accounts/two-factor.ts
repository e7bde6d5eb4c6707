import 'server-only';
import { and, eq, isNull, or, lt, sql } from 'drizzle-orm';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { accounts, recoveryCodes } from '@/db/schema';
import { isTwoFactorRequired } from '@/lib/auth/roles';
import { recordAuditEvent } from '@/lib/audit/record';
import { refusal, type Refusal } from '@/lib/refusal';
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  isFreshStep,
  isTotpSecret,
  looksLikeTotpCode,
  matchTotpStep,
  normaliseRecoveryCode,
} from './totp';

/**
 * An account's two-factor sign-in with TOTP, the one home of its stored state — the secret and
 * last accepted step (accounts.totp_secret, totp_last_step) and the hashed recovery codes
 * (docs/security/README.md: "each code accepted once, ±1 step drift, secrets from a CSPRNG,
 * recovery codes hashed"). Where an account stands with it (on, optional, exempt, required):
 * two-factor-state.ts. The sign-in flow (lib/auth/sign-in-flow.ts) calls these after a right
 * password, the account's security page and the admin's reset too; they never start a session.
 * Refusals are lib/refusal.ts `Refusal`s with 'auth.*' keys (auth.json).
 */

/**
 * Check a second factor for an account: a 6-digit TOTP code (accepted once: its time step must be
 * later than accounts.totp_last_step, and the step is stored in the same guarded UPDATE), or one of
 * its unused recovery codes (marked used). Writes `recovery_code_used` when a recovery code is used.
 * @param code what the person typed (spaces and dashes are ignored)
 * @param now current instant (UTC ms as a Date)
 * @returns `{ ok: true, method }` or `{ ok: false }` (wrong, reused, or the account has no 2FA)
 */
export function verifySecondFactor({
  accountId,
  code,
  now = new Date(),
}: {
  accountId: number;
  code: string;
  now?: Date;
}): { ok: true; method: 'totp' | 'recovery' } | { ok: false } {
  if (typeof code !== 'string' || code.length > 64) return { ok: false };
  return writeTransaction((tx) => {
    const account = tx
      .select({ totpSecret: accounts.totpSecret, totpLastStep: accounts.totpLastStep })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .get();
    if (!account?.totpSecret) return { ok: false as const };
    if (looksLikeTotpCode(code)) {
      const step = matchTotpStep({ secret: account.totpSecret, code, timestampMs: now.getTime() });
      if (step === null || !isFreshStep(step, account.totpLastStep)) return { ok: false as const };
      const stored = tx
        .update(accounts)
        .set({ totpLastStep: step })
        .where(and(eq(accounts.id, accountId), or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, step))))
        .run();
      return stored.changes === 1 ? { ok: true as const, method: 'totp' as const } : { ok: false as const };
    }
    if (normaliseRecoveryCode(code).length !== 10) return { ok: false as const };
    const used = tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.accountId, accountId),
          eq(recoveryCodes.codeHash, hashRecoveryCode({ accountId, code })),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .run();
    if (used.changes !== 1) return { ok: false as const };
    const left = tx
      .select({ n: sql<number>`count(*)` })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)))
      .get();
    recordAuditEvent(tx, { actorId: accountId, kind: 'recovery_code_used', targetAccountId: accountId, detail: { remaining: left?.n ?? 0 } });
    return { ok: true as const, method: 'recovery' as const };
  });
}

/** An account's recovery codes become `codes` (stored as hashes only; the old ones stop working). */
function replaceStoredRecoveryCodes(tx: Tx, accountId: number, codes: readonly string[], now: Date): void {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)).run();
  tx.insert(recoveryCodes)
    .values(codes.map((code) => ({ accountId, codeHash: hashRecoveryCode({ accountId, code }), createdAt: now })))
    .run();
}

/**
 * Turn on two-factor sign-in with a secret the person's app has read, proven by a current code.
 * Stores the secret and the code's step (so the same code cannot sign in again), replaces the
 * recovery codes with ten new ones (stored as hashes), bumps session_version and writes
 * `two_factor_enrolled` — one transaction.
 * @param secret base32 secret generated at the start of enrolment (lib/accounts/totp.ts)
 * @param expectedSessionVersion the account's session_version when enrolment began; if it changed
 *   (deactivated, reset, another enrolment) the enrolment is refused
 * @returns `{ ok: true, recoveryCodes, sessionVersion }` — the codes in clear, to show once — or a
 *   refusal: 'auth.twoFactor.wrongCode' | 'auth.twoFactor.expired'
 */
export function enrolTwoFactor({
  accountId,
  secret,
  code,
  expectedSessionVersion,
  now = new Date(),
}: {
  accountId: number;
  secret: string;
  code: string;
  expectedSessionVersion: number;
  now?: Date;
}): { ok: true; recoveryCodes: string[]; sessionVersion: number } | Refusal<never, 'auth.twoFactor.wrongCode' | 'auth.twoFactor.expired'> {
  if (!isTotpSecret(secret) || typeof code !== 'string' || code.length > 64) return refusal('auth.twoFactor.wrongCode');
  const step = matchTotpStep({ secret, code, timestampMs: now.getTime() });
  if (step === null) return refusal('auth.twoFactor.wrongCode');
  const codes = generateRecoveryCodes();
  return writeTransaction((tx) => {
    const account = tx
      .select({ status: accounts.status, sessionVersion: accounts.sessionVersion, totpSecret: accounts.totpSecret })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .get();
    if (!account || account.status !== 'active' || account.sessionVersion !== expectedSessionVersion || account.totpSecret) {
      return refusal('auth.twoFactor.expired');
    }
    tx.update(accounts)
      .set({ totpSecret: secret, totpLastStep: step, sessionVersion: account.sessionVersion + 1, updatedAt: now })
      .where(eq(accounts.id, accountId))
      .run();
    replaceStoredRecoveryCodes(tx, accountId, codes, now);
    recordAuditEvent(tx, { actorId: accountId, kind: 'two_factor_enrolled', targetAccountId: accountId });
    return { ok: true as const, recoveryCodes: codes, sessionVersion: account.sessionVersion + 1 };
  });
}

/**
 * Unused recovery codes of an account (a count; the codes themselves are never readable).
 * @param db the connection or a transaction to read in (default: the app's connection)
 */
export function countUnusedRecoveryCodes({ accountId }: { accountId: number }, db: DB | Tx = getDb()): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}

/**
 * Remove an account's two-factor sign-in inside `tx`: the secret, its last step and every
 * recovery code go, and session_version is bumped (its open sessions end at their next request).
 * The caller checks who may and writes its own audit event.
 * @returns the account's new session_version
 */
export function clearTwoFactor(tx: Tx, { accountId, sessionVersion, now }: { accountId: number; sessionVersion: number; now: Date }): number {
  tx.update(accounts)
    .set({ totpSecret: null, totpLastStep: null, sessionVersion: sessionVersion + 1, updatedAt: now })
    .where(eq(accounts.id, accountId))
    .run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)).run();
  return sessionVersion + 1;
}

/**
 * A person turns their own two-factor sign-in off (partners only: it is required for editors and
 * admins), proving it with a current code or a recovery code. Removes the secret and recovery
 * codes, bumps session_version and writes `two_factor_turned_off` (an admin's reset of someone
 * else's is `two_factor_reset`, lib/accounts/accounts.ts resetTwoFactor).
 * @returns `{ ok: true, sessionVersion }` (start a new session at it) or a refusal:
 *   'auth.twoFactor.wrongCode' | 'auth.settings.required'
 */
export function turnOffTwoFactor({
  accountId,
  code,
  now = new Date(),
}: {
  accountId: number;
  code: string;
  now?: Date;
}): { ok: true; sessionVersion: number } | Refusal<never, 'auth.twoFactor.wrongCode' | 'auth.settings.required'> {
  const account = getDb().select({ role: accounts.role }).from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account || isTwoFactorRequired(account.role)) return refusal('auth.settings.required');
  // Prove the factor first (this uses up the code), then remove it.
  if (!verifySecondFactor({ accountId, code, now }).ok) return refusal('auth.twoFactor.wrongCode');
  return writeTransaction((tx) => {
    const row = tx.select({ sessionVersion: accounts.sessionVersion, role: accounts.role }).from(accounts).where(eq(accounts.id, accountId)).get();
    if (!row || isTwoFactorRequired(row.role)) return refusal('auth.settings.required');
    const sessionVersion = clearTwoFactor(tx, { accountId, sessionVersion: row.sessionVersion, now });
    recordAuditEvent(tx, { actorId: accountId, kind: 'two_factor_turned_off', targetAccountId: accountId });
    return { ok: true as const, sessionVersion };
  });
}

/**
 * A person replaces their own recovery codes (used up, lost, or seen by someone else), proven by a
 * current code from their authenticator app — not by a recovery code, so a single leaked recovery
 * code cannot be turned into ten. The old codes stop working in the same transaction; writes
 * `recovery_codes_replaced`. Sessions go on (the sign-in factor itself has not changed).
 * @param code a 6-digit TOTP code (accepted once, like at sign-in)
 * @returns `{ ok: true, recoveryCodes }` — the ten new codes in clear, to show once — or the
 *   refusal 'auth.twoFactor.wrongCode' (wrong, reused, a recovery code, or 2FA off)
 */
export function replaceRecoveryCodes({
  accountId,
  code,
  now = new Date(),
}: {
  accountId: number;
  code: string;
  now?: Date;
}): { ok: true; recoveryCodes: string[] } | Refusal<never, 'auth.twoFactor.wrongCode'> {
  if (typeof code !== 'string' || !looksLikeTotpCode(code)) return refusal('auth.twoFactor.wrongCode');
  if (!verifySecondFactor({ accountId, code, now }).ok) return refusal('auth.twoFactor.wrongCode');
  const codes = generateRecoveryCodes();
  return writeTransaction((tx) => {
    const row = tx.select({ totpSecret: accounts.totpSecret, status: accounts.status }).from(accounts).where(eq(accounts.id, accountId)).get();
    if (!row?.totpSecret || row.status !== 'active') return refusal('auth.twoFactor.wrongCode');
    replaceStoredRecoveryCodes(tx, accountId, codes, now);
    recordAuditEvent(tx, { actorId: accountId, kind: 'recovery_codes_replaced', targetAccountId: accountId });
    return { ok: true as const, recoveryCodes: codes };
  });
}

/** What the settings page shows: whether 2FA is on, whether the role requires it, unused recovery codes, session version. */
export function twoFactorStatus({ accountId }: { accountId: number }): { enabled: boolean; required: boolean; unusedRecoveryCodes: number; sessionVersion: number } | null {
  const row = getDb()
    .select({ role: accounts.role, totpSecret: accounts.totpSecret, sessionVersion: accounts.sessionVersion })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!row) return null;
  return { enabled: !!row.totpSecret, required: isTwoFactorRequired(row.role), unusedRecoveryCodes: countUnusedRecoveryCodes({ accountId }), sessionVersion: row.sessionVersion };
}
