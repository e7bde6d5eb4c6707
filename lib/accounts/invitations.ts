import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, invitations } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record';
import { refusal, type FieldErrors, type Refusal } from '@/lib/refusal';
import { hashOneTimeToken, isWellFormedToken } from './one-time-token';
import { newPasswordSchema } from './new-password';
import { hashPassword } from './password';
import { fieldErrorsOf } from './schema';

/**
 * One-time links (invitation, reset, bootstrap) where a person sets their own password
 * (docs/product.md "Administration"; docs/security/README.md: "Invitations and temporary passwords are one-time and
 * expire"). The link's token is looked up by its SHA-256; using it sets the password, marks the
 * link used and ends any open session of the account, in one transaction.
 */

/** Why a link cannot be used; each has its own message on the invitation page (auth.json). */
export type LinkRefusal = Refusal<never, 'auth.invite.unknown' | 'auth.invite.expired' | 'auth.invite.used'>;

type LinkRow = {
  id: number;
  accountId: number;
  purpose: 'invite' | 'reset' | 'bootstrap';
  expiresAt: Date;
  usedAt: Date | null;
  codeName: string;
  status: 'active' | 'deactivated';
};

function findLink(token: unknown): LinkRow | undefined {
  if (!isWellFormedToken(token)) return undefined;
  return getDb()
    .select({
      id: invitations.id,
      accountId: invitations.accountId,
      purpose: invitations.purpose,
      expiresAt: invitations.expiresAt,
      usedAt: invitations.usedAt,
      codeName: accounts.codeName,
      status: accounts.status,
    })
    .from(invitations)
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .where(eq(invitations.tokenHash, hashOneTimeToken(token)))
    .get();
}

function refusalFor(link: LinkRow | undefined, now: Date): LinkRefusal | null {
  // A deactivated account's links are dead too (deactivation also expires them).
  if (!link || link.status !== 'active') return refusal('auth.invite.unknown');
  if (link.usedAt) return refusal('auth.invite.used');
  if (link.expiresAt.getTime() <= now.getTime()) return refusal('auth.invite.expired');
  return null;
}

/**
 * What the invitation page shows for a token: the code name and purpose when the link can be
 * used, else why not. Changes nothing.
 * @param token the path segment of /invite/<token> (anything; malformed tokens are "unknown")
 * @param now current instant (UTC; tests pass their own)
 */
export function describeInvitation({
  token,
  now = new Date(),
}: {
  token: unknown;
  now?: Date;
}): { ok: true; codeName: string; purpose: LinkRow['purpose']; expiresAt: Date } | LinkRefusal {
  const link = findLink(token);
  const refused = refusalFor(link, now);
  if (refused || !link) return refused ?? refusal('auth.invite.unknown');
  return { ok: true, codeName: link.codeName, purpose: link.purpose, expiresAt: link.expiresAt };
}

/**
 * Set the password of a link's account and use up the link. The password is checked with
 * newPasswordSchema (12–1,024 characters, not weak, confirmed) and hashed with Argon2id before the
 * transaction; inside it the link is checked again (so two tabs cannot both use it), the account's
 * session_version is bumped and a `password_set` audit event written (never the password).
 * @param input raw `{ password, confirmPassword }`
 * @returns `{ ok: true, codeName }`, a LinkRefusal, or the refusal 'auth.errors.summary' with fieldErrors
 */
export async function acceptInvitation({
  token,
  input,
  now = new Date(),
}: {
  token: unknown;
  input: Record<string, unknown>;
  now?: Date;
}): Promise<{ ok: true; codeName: string } | LinkRefusal | (Refusal<never, 'auth.errors.summary'> & { fieldErrors: FieldErrors })> {
  const link = findLink(token);
  const refused = refusalFor(link, now);
  if (refused || !link) return refused ?? refusal('auth.invite.unknown');
  const parsed = newPasswordSchema(link.codeName).safeParse(input);
  if (!parsed.success) return { ok: false, messageKey: 'auth.errors.summary', fieldErrors: fieldErrorsOf(parsed.error) };
  const passwordHash = await hashPassword(parsed.data.password);
  return writeTransaction((tx) => {
    const account = tx.select({ status: accounts.status }).from(accounts).where(eq(accounts.id, link.accountId)).get();
    if (account?.status !== 'active') return refusal('auth.invite.unknown');
    // Mark the link used only if nobody used it in the meantime: this guard is the one-time rule.
    const used = tx
      .update(invitations)
      .set({ usedAt: now })
      .where(and(eq(invitations.id, link.id), isNull(invitations.usedAt), sql`${invitations.expiresAt} > ${now.getTime()}`))
      .run();
    if (used.changes !== 1) return refusal('auth.invite.used');
    tx.update(accounts)
      .set({ passwordHash, sessionVersion: sql`${accounts.sessionVersion} + 1`, updatedAt: now })
      .where(eq(accounts.id, link.accountId))
      .run();
    recordAuditEvent(tx, { actorId: link.accountId, kind: 'password_set', targetAccountId: link.accountId, detail: { via: link.purpose } });
    return { ok: true as const, codeName: link.codeName };
  });
}
