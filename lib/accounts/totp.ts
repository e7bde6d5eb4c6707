/**
 * TOTP (RFC 6238) and recovery-code rules, pure apart from the CSPRNG. Codes are 6 digits with a
 * 30-second time step and HMAC-SHA1, the settings every authenticator app supports. A code is
 * accepted from the previous, current or next step (±1 step of clock drift, docs/security/README.md) and only
 * for a step later than the last one accepted, so each code works once.
 */
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of drift accepted either side of the server's current step. */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'Field Reports';
export const RECOVERY_CODE_COUNT = 10;

/** A new TOTP secret: 20 bytes (160 bits, RFC 4226's recommendation) from the CSPRNG, as base32. */
export function generateTotpSecret(): string {
  const bytes = crypto.randomBytes(20);
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }).base32;
}

/** True when a string is a base32 secret of the length we generate (32 characters). */
export function isTotpSecret(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z2-7]{32}$/.test(value);
}

function totpFor(secret: string, label = 'account'): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri({ secret, codeName }: { secret: string; codeName: string }): string {
  return totpFor(secret, codeName).toString();
}

/** The time step (counter) of a UTC ms instant. */
export function totpStepAt(timestampMs: number): number {
  return Math.floor(timestampMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a secret at an instant (tests and the enrolment page's self-check only). */
export function totpCodeAt({ secret, timestampMs }: { secret: string; timestampMs: number }): string {
  return totpFor(secret).generate({ timestamp: timestampMs });
}

/** Strip spaces and dashes people type into codes ("123 456"). */
export function normaliseCode(input: string): string {
  return input.normalize('NFKC').replace(/[\s-]/g, '');
}

/** True when a typed code looks like a TOTP code (6 digits) rather than a recovery code. */
export function looksLikeTotpCode(input: string): boolean {
  return /^\d{6}$/.test(normaliseCode(input));
}

/**
 * The time step a code belongs to, if it matches the secret within ±1 step of `timestampMs`;
 * otherwise null. Does not decide reuse: compare with the account's last accepted step.
 */
export function matchTotpStep({ secret, code, timestampMs }: { secret: string; code: string; timestampMs: number }): number | null {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secret).validate({ token, timestamp: timestampMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStepAt(timestampMs) + delta;
}

/** True when a matched step may be accepted: later than the last step this account used. */
export function isFreshStep(step: number, lastStep: number | null): boolean {
  return lastStep === null || step > lastStep;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i look-alikes

/** Ten recovery codes like "k7m2p-x9qhr" (50 bits each), from the CSPRNG. Shown once, stored hashed. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  while (codes.length < count) {
    let raw = '';
    for (let i = 0; i < 10; i += 1) raw += RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)];
    const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** Canonical form of a typed recovery code: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(input: string): string {
  return normaliseCode(input).toLowerCase();
}

/**
 * Hash of a recovery code for storage: SHA-256 of the account id and the canonical code. The codes
 * carry 50 random bits and sign-in is throttled, so a fast hash is enough (unlike passwords).
 */
export function hashRecoveryCode({ accountId, code }: { accountId: number; code: string }): string {
  return crypto.createHash('sha256').update(`${accountId}:${normaliseRecoveryCode(code)}`, 'utf8').digest('hex');
}
