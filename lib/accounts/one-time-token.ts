/**
 * One-time link tokens (invitations, resets, bootstrap): 32 bytes from the operating system's
 * CSPRNG, shown once as base64url; only their SHA-256 is stored (table `invitations`), so a
 * database leak gives no usable link. Server code only (node:crypto).
 */
import crypto from 'node:crypto';
import { ONE_TIME_TOKEN_PATTERN } from './schema';

/** A fresh token and the hex SHA-256 to store. */
export function createOneTimeToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOneTimeToken(token) };
}

/** Hex SHA-256 of a token (the form kept in `invitations.token_hash`). */
export function hashOneTimeToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `value` has the shape of a token we make (cheap refusal before any lookup). */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && ONE_TIME_TOKEN_PATTERN.test(value);
}

/** Path of the page where the link's owner sets a password. */
export function invitationPath(token: string): string {
  return `/invite/${token}`;
}
