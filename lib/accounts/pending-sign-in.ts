import 'server-only';
import { decode, encode } from 'next-auth/jwt';
import { getAuthSecret } from '@/lib/env';
import { isTotpSecret } from './totp';

/**
 * The "pending second step" of a sign-in: after a right password, an encrypted, short-lived token
 * (next-auth/jwt JWE) says which account may now prove its second factor, and for enrolment which
 * new TOTP secret it is enrolling. It is encrypted with a key derived under its own salt, and its
 * claims have other names than a session's, so it can never pass as a session cookie.
 */
export type PendingSignIn = {
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

type Claims = { pid: number; pcn: string; psv: number; pst: 'verify' | 'enrol'; psec?: string; pcb?: string };

/** Encrypt a pending step. */
export async function encodePendingSignIn(pending: PendingSignIn): Promise<string> {
  const claims: Claims = { pid: pending.accountId, pcn: pending.codeName, psv: pending.sessionVersion, pst: pending.stage };
  if (pending.secret) claims.psec = pending.secret;
  if (pending.callbackPath) claims.pcb = pending.callbackPath;
  return encode({ token: claims, secret: getAuthSecret(), salt: SALT, maxAge: PENDING_MAX_AGE_SECONDS[pending.stage] });
}

/** Decrypt a pending step; null when missing, forged, expired or malformed. */
export async function decodePendingSignIn(token: string | undefined | null): Promise<PendingSignIn | null> {
  if (!token || token.length > 4096) return null;
  let claims: Partial<Claims> | null;
  try {
    claims = (await decode({ token, secret: getAuthSecret(), salt: SALT })) as Partial<Claims> | null;
  } catch {
    return null;
  }
  if (!claims || !Number.isSafeInteger(claims.pid) || typeof claims.pcn !== 'string' || !Number.isSafeInteger(claims.psv)) return null;
  if (claims.pst !== 'verify' && claims.pst !== 'enrol') return null;
  const secret = claims.pst === 'enrol' ? (isTotpSecret(claims.psec) ? claims.psec : null) : null;
  if (claims.pst === 'enrol' && !secret) return null;
  return {
    accountId: claims.pid as number,
    codeName: claims.pcn,
    sessionVersion: claims.psv as number,
    stage: claims.pst,
    secret,
    callbackPath: typeof claims.pcb === 'string' ? claims.pcb : null,
  };
}
