import 'server-only';
import { randomBytes } from 'node:crypto';
import { decode, encode } from 'next-auth/jwt';
import { getAuthSecret } from '@/lib/env';
import { isTotpSecret } from '@/lib/accounts/totp';

/**
 * The "pending second step" of a sign-in: after a right password, an encrypted, short-lived token
 * (next-auth/jwt JWE) says which account may now prove its second factor, and for enrolment which
 * new TOTP secret it is enrolling. It is encrypted with a key derived under its own salt, and its
 * claims have other names than a session's, so it can never pass as a session cookie.
 * Each step has its own random id: completing it records the id (lib/auth/sign-in.ts
 * claimPendingStep), so a copy of the cookie cannot complete a second sign-in, even with another
 * valid code (docs/security/README.md "Accounts and sessions").
 */
export type PendingSignIn = {
  /** This step's own id: 128 random bits, base64url (22 characters). */
  id: string;
  /** When this step's token expires (UTC ms): its id need not be remembered longer. */
  expiresAtMs: number;
  accountId: number;
  codeName: string;
  /** session_version at the password step: a change in between (deactivation, reset) voids it. */
  sessionVersion: number;
  stage: 'verify' | 'enrol';
  /** Base32 TOTP secret being enrolled (stage 'enrol' only). */
  secret: string | null;
  /** Where to go after sign-in (already checked with safeCallbackPath). */
  callbackPath: string | null;
};

/** Seconds a pending step lasts: 5 minutes to type a code, 15 to set up an authenticator app. */
export const PENDING_MAX_AGE_SECONDS = { verify: 5 * 60, enrol: 15 * 60 } as const;

const SALT = 'field-reports.pending-second-step';

type Claims = { pjti: string; pid: number; pcn: string; psv: number; pst: 'verify' | 'enrol'; psec?: string; pcb?: string; exp?: number };

/** A pending step as its creator describes it; the id and expiry are given by {@link encodePendingSignIn}. */
export type NewPendingSignIn = Omit<PendingSignIn, 'id' | 'expiresAtMs'>;

/** Encrypt a new pending step, with a fresh id, lasting PENDING_MAX_AGE_SECONDS[stage]. */
export async function encodePendingSignIn(pending: NewPendingSignIn): Promise<string> {
  const claims: Claims = { pjti: randomBytes(16).toString('base64url'), pid: pending.accountId, pcn: pending.codeName, psv: pending.sessionVersion, pst: pending.stage };
  if (pending.secret) claims.psec = pending.secret;
  if (pending.callbackPath) claims.pcb = pending.callbackPath;
  return encode({ token: claims, secret: getAuthSecret(), salt: SALT, maxAge: PENDING_MAX_AGE_SECONDS[pending.stage] });
}

/** Decrypt a pending step; null when missing, forged, expired or malformed (a token without an id included). */
export async function decodePendingSignIn(token: string | undefined | null): Promise<PendingSignIn | null> {
  if (!token || token.length > 4096) return null;
  let claims: Partial<Claims> | null;
  try {
    claims = (await decode({ token, secret: getAuthSecret(), salt: SALT })) as Partial<Claims> | null;
  } catch {
    return null;
  }
  if (!claims || typeof claims.pjti !== 'string' || typeof claims.exp !== 'number') return null;
  if (!Number.isSafeInteger(claims.pid) || typeof claims.pcn !== 'string' || !Number.isSafeInteger(claims.psv)) return null;
  if (claims.pst !== 'verify' && claims.pst !== 'enrol') return null;
  const secret = claims.pst === 'enrol' ? (isTotpSecret(claims.psec) ? claims.psec : null) : null;
  if (claims.pst === 'enrol' && !secret) return null;
  return {
    id: claims.pjti,
    expiresAtMs: claims.exp * 1000,
    accountId: claims.pid as number,
    codeName: claims.pcn,
    sessionVersion: claims.psv as number,
    stage: claims.pst,
    secret,
    callbackPath: typeof claims.pcb === 'string' ? claims.pcb : null,
  };
}
