import 'server-only';
import crypto from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import fs from 'node:fs';
import { getDataDir, openSqlite } from '@/db/client';
import { getDerivedKey, isPlaintextMode, KeyError } from '@/lib/at-rest/keys';
import { getAuthSecret } from '@/lib/env';
import { throttleBucketOf } from '@/lib/http/client-address';
import { knownDeviceFor } from './known-device';
import {
  delayAfterFailures,
  DEVICE_LOCKOUT_SECONDS,
  DEVICE_MAX_FAILURES,
  DEVICE_WINDOW_SECONDS,
  IP_FIRST_DELAY_SECONDS,
  IP_FREE_FAILURES,
  IP_WINDOW_SECONDS,
  MAX_DELAY_SECONDS,
  NAME_FIRST_DELAY_SECONDS,
  NAME_FREE_FAILURES,
  NAME_WINDOW_SECONDS,
} from './throttle-policy';

/**
 * Sign-in throttling with rate-limiter-flexible's SQLite store on better-sqlite3 (policy in
 * throttle-policy.ts). Its state lives in its own file, DATA_DIR/sign-in-throttle.db: it is
 * short-lived, needs no backup, and its writes never wait for the main database's write lock. It is
 * encrypted with its own subkey of the data key (docs/security/encryption-at-rest.md); a store that
 * does not open with it (left from before encryption, or from before a rekey) is deleted and made
 * anew, since it only holds counters that expire within the hour.
 *
 * Keys are HMAC-SHA256 digests (keyed from NEXTAUTH_SECRET) of the lower-cased code name, of the
 * client IP address, of both together, and of a known device's random id, so the table holds
 * neither names nor addresses, and an address cannot be recovered by hashing the whole IPv4 space.
 *
 * Who is judged by what (issue 16 item 6): an attempt from a known device for its code name
 * (lib/accounts/known-device.ts) only by that device's own failures; any other attempt by the
 * code name's failures from unknown clients, by the name-and-address pair's and by the address's.
 */

type Limiters = {
  db: Database.Database;
  nameFails: RateLimiterSQLite;
  nameBlock: RateLimiterSQLite;
  pairFails: RateLimiterSQLite;
  pairBlock: RateLimiterSQLite;
  ipFails: RateLimiterSQLite;
  ipBlock: RateLimiterSQLite;
  deviceFails: RateLimiterSQLite;
  deviceLockout: RateLimiterSQLite;
};
const TABLE = 'sign_in_throttle';
const globalForThrottle = globalThis as unknown as { __fieldReportsThrottle?: { file: string; limiters: Limiters } };

function limiters(): Limiters {
  const file = path.join(getDataDir(), 'sign-in-throttle.db');
  const cached = globalForThrottle.__fieldReportsThrottle;
  if (cached?.file === file) return cached.limiters;
  const db = openThrottleStore(file);
  // Losing the last few throttle updates in a power cut is harmless; no need to fsync each one.
  db.pragma('synchronous = NORMAL');
  db.prepare(`CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`).run();
  const common = { storeClient: db, storeType: 'better-sqlite3', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: true } as const;
  const made: Limiters = {
    db,
    // Counters: never "exhausted" themselves; the block limiters below hold the waits.
    nameFails: new RateLimiterSQLite({ ...common, keyPrefix: 'name-fails', points: 1_000_000, duration: NAME_WINDOW_SECONDS }),
    nameBlock: new RateLimiterSQLite({ ...common, keyPrefix: 'name-block', points: 1, duration: MAX_DELAY_SECONDS }),
    pairFails: new RateLimiterSQLite({ ...common, keyPrefix: 'pair-fails', points: 1_000_000, duration: NAME_WINDOW_SECONDS }),
    pairBlock: new RateLimiterSQLite({ ...common, keyPrefix: 'pair-block', points: 1, duration: MAX_DELAY_SECONDS }),
    ipFails: new RateLimiterSQLite({ ...common, keyPrefix: 'ip-fails', points: 1_000_000, duration: IP_WINDOW_SECONDS }),
    ipBlock: new RateLimiterSQLite({ ...common, keyPrefix: 'ip-block', points: 1, duration: MAX_DELAY_SECONDS }),
    deviceFails: new RateLimiterSQLite({ ...common, keyPrefix: 'device-fails', points: 1_000_000, duration: DEVICE_WINDOW_SECONDS }),
    // The lockout list: a device that failed too often is not "known" until its entry expires.
    deviceLockout: new RateLimiterSQLite({ ...common, keyPrefix: 'device-lockout', points: 1, duration: DEVICE_LOCKOUT_SECONDS }),
  };
  globalForThrottle.__fieldReportsThrottle = { file, limiters: made };
  return made;
}

function openThrottleStore(file: string): Database.Database {
  const key = isPlaintextMode() ? null : getDerivedKey('sign-in-throttle');
  try {
    return openSqlite(file, { key });
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    return openSqlite(file, { key });
  }
}

function keyFor(kind: 'name' | 'ip' | 'pair' | 'device', value: string): string {
  const key = crypto.createHash('sha256').update(`${getAuthSecret()}\0sign-in-throttle`).digest();
  return crypto.createHmac('sha256', key).update(`${kind}\0${value}`).digest('base64url');
}

function normalName(codeName: string): string {
  return codeName.normalize('NFC').trim().toLowerCase();
}

function normalAddress(clientIp: string | null | undefined): string {
  return throttleBucketOf(clientIp);
}

/**
 * Who is attempting a sign-in, as the throttle sees it.
 * - codeName: the code name typed (or the pending step's), any case
 * - clientIp: the client's address (lib/http/client-address.ts); null or missing → one shared
 *   'unknown' address
 * - deviceToken: the raw known-device cookie (lib/accounts/device-cookie.ts), if the browser sent one
 */
export type SignInAttempt = { codeName: string; clientIp?: string | null; deviceToken?: string | null };

function isBlocked<T extends { consumedPoints: number; msBeforeNext: number }>(res: T | null): res is T {
  return !!res && res.consumedPoints > 1 && res.msBeforeNext > 0;
}

/**
 * The lockout-list key of the attempt's known device for its code name, or null when the attempt
 * comes from an unknown client: no cookie, a forged, expired or other account's cookie, or a device
 * on the lockout list.
 */
async function knownDeviceKey(l: Limiters, attempt: SignInAttempt): Promise<string | null> {
  const device = knownDeviceFor(attempt.deviceToken, attempt.codeName);
  if (!device) return null;
  const key = keyFor('device', device.deviceId);
  return isBlocked(await l.deviceLockout.get(key)) ? null : key;
}

/**
 * May a sign-in attempt (password or two-step code) go ahead now? A known device for this code
 * name always may (unless it is on the lockout list: then it is judged as an unknown client);
 * an unknown client waits while its code name (for unknown clients), its name-and-address pair
 * or its address is blocked.
 * @returns `{ ok: true, knownDevice }` or `{ ok: false, retryAfterSeconds }` (whole seconds, ≥ 1:
 *   the longest wait that applies)
 */
export async function checkSignInThrottle(attempt: SignInAttempt): Promise<{ ok: true; knownDevice: boolean } | { ok: false; retryAfterSeconds: number }> {
  const l = limiters();
  if (await knownDeviceKey(l, attempt)) return { ok: true, knownDevice: true };
  const name = normalName(attempt.codeName);
  const address = normalAddress(attempt.clientIp);
  const results = await Promise.all([l.nameBlock.get(keyFor('name', name)), l.pairBlock.get(keyFor('pair', `${name}\0${address}`)), l.ipBlock.get(keyFor('ip', address))]);
  const waits = results.filter(isBlocked).map((r) => r.msBeforeNext);
  if (waits.length === 0) return { ok: true, knownDevice: false };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
}

/**
 * Count a failed attempt (wrong password, unknown name or wrong code). From a known device: on that
 * device alone, and its DEVICE_MAX_FAILURES-th failure in the window puts it on the lockout list.
 * From any other client: on the code name, the name-and-address pair and the address, starting the
 * waits the policy prescribes (lib/accounts/throttle-policy.ts).
 */
export async function recordSignInFailure(attempt: SignInAttempt): Promise<void> {
  const l = limiters();
  const device = await knownDeviceKey(l, attempt);
  if (device) {
    const res = await l.deviceFails.penalty(device, 1);
    if (res.consumedPoints >= DEVICE_MAX_FAILURES) await l.deviceLockout.block(device, DEVICE_LOCKOUT_SECONDS);
    return;
  }
  const name = normalName(attempt.codeName);
  const address = normalAddress(attempt.clientIp);
  const nameKey = keyFor('name', name);
  const pairKey = keyFor('pair', `${name}\0${address}`);
  const ipKey = keyFor('ip', address);
  const [nameRes, pairRes, ipRes] = await Promise.all([l.nameFails.penalty(nameKey, 1), l.pairFails.penalty(pairKey, 1), l.ipFails.penalty(ipKey, 1)]);
  const perName = { free: NAME_FREE_FAILURES, firstDelay: NAME_FIRST_DELAY_SECONDS };
  const nameDelay = delayAfterFailures(nameRes.consumedPoints, perName);
  const pairDelay = delayAfterFailures(pairRes.consumedPoints, perName);
  const ipDelay = delayAfterFailures(ipRes.consumedPoints, { free: IP_FREE_FAILURES, firstDelay: IP_FIRST_DELAY_SECONDS });
  await Promise.all([
    nameDelay > 0 ? l.nameBlock.block(nameKey, nameDelay) : null,
    pairDelay > 0 ? l.pairBlock.block(pairKey, pairDelay) : null,
    ipDelay > 0 ? l.ipBlock.block(ipKey, ipDelay) : null,
  ]);
}

/**
 * Forget failures after a completed sign-in. From a known device: that device's failures (the
 * code name's count from unknown clients stays, so an attacker elsewhere stays slowed). From any
 * other client: the code name's count and this name-and-address pair's. The address's count stays.
 */
export async function clearSignInFailures(attempt: SignInAttempt): Promise<void> {
  const l = limiters();
  const device = await knownDeviceKey(l, attempt);
  if (device) {
    await l.deviceFails.delete(device);
    return;
  }
  const name = normalName(attempt.codeName);
  const nameKey = keyFor('name', name);
  const pairKey = keyFor('pair', `${name}\0${normalAddress(attempt.clientIp)}`);
  await Promise.all([l.nameFails.delete(nameKey), l.nameBlock.delete(nameKey), l.pairFails.delete(pairKey), l.pairBlock.delete(pairKey)]);
}
