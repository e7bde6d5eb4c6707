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
 * (lib/auth/known-device.ts) only by that device's own failures; any other attempt by the
 * code name's failures from unknown clients, by the name-and-address pair's and by the address's.
 *
 * Attempts are counted when they begin, not after the password check (beginSignInAttempt), and an
 * attempt that turns out to be no failure gives its count back (endSignInAttempt): checking first
 * and counting after the ~100 ms hash let 131 of 150 simultaneous attempts through a 30-attempt limit.
 * The counters therefore hold failures plus attempts still in flight.
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
    // Counters (failures and attempts in flight): never "exhausted" themselves; the block
    // limiters below hold the waits, one row per running wait.
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
 * - deviceToken: the raw known-device cookie (lib/auth/device-cookie.ts), if the browser sent one
 */
export type SignInAttempt = { codeName: string; clientIp?: string | null; deviceToken?: string | null };

/** True while a wait (or a device's lockout) recorded under a block key is running. */
function isActive<T extends { consumedPoints: number; msBeforeNext: number }>(res: T | null): res is T {
  return !!res && res.consumedPoints >= 1 && res.msBeforeNext > 0;
}

type Count = { counter: RateLimiterSQLite; block: RateLimiterSQLite; key: string; free: number; firstDelay: number };

/**
 * An attempt let through to the password or code check, holding its place in the counts until
 * {@link endSignInAttempt} says how it ended. Opaque to callers.
 */
export type SignInTicket =
  | { kind: 'device'; key: string; setLockout: boolean }
  | { kind: 'unknown'; name: Count; pair: Count; ip: Count; claimed: Count[] };

/**
 * Begin an attempt from a known device for its code name: count it on the device at once (before
 * the password check, so simultaneous attempts cannot all slip under the limit), and put the device
 * on the lockout list as its DEVICE_MAX_FAILURES-th attempt in the window begins. Null when the
 * attempt is not from a known device, or the device is (or by this count would be past) its limit:
 * then it is judged as an unknown client.
 */
async function beginDeviceAttempt(l: Limiters, attempt: SignInAttempt): Promise<SignInTicket | null> {
  const device = knownDeviceFor(attempt.deviceToken, attempt.codeName);
  if (!device) return null;
  const key = keyFor('device', device.deviceId);
  if (isActive(await l.deviceLockout.get(key))) return null;
  const { consumedPoints } = await l.deviceFails.penalty(key, 1);
  if (consumedPoints > DEVICE_MAX_FAILURES) {
    await l.deviceFails.reward(key, 1);
    return null;
  }
  const setLockout = consumedPoints === DEVICE_MAX_FAILURES;
  if (setLockout) await l.deviceLockout.block(key, DEVICE_LOCKOUT_SECONDS);
  return { kind: 'device', key, setLockout };
}

/**
 * Claim the wait an attempt would start if it failed, atomically: a row in the block store is
 * created with the wait's length only if no wait is running (rate-limiter-flexible's penalty is one
 * upsert). True when this attempt made it; false when another attempt's wait runs (then `ms` is
 * what is left of it).
 */
async function claimWait(count: Count, seconds: number): Promise<{ claimed: true } | { claimed: false; ms: number }> {
  const res = await count.block.penalty(count.key, 1, { customDuration: seconds });
  return res.consumedPoints === 1 ? { claimed: true } : { claimed: false, ms: Math.max(1000, res.msBeforeNext) };
}

/**
 * Begin a sign-in attempt (password or two-step code): may it go ahead now, and if so, count it
 * before the check, so that a burst of simultaneous attempts gets no more than the free allowance
 * (issue 16 item 6; docs/security/README.md "Accounts and sessions").
 *
 * - From a known device for this code name (not on the lockout list): counted on that device
 *   alone, always let through while under DEVICE_MAX_FAILURES; others' failures never hold it up.
 * - From any other client: refused while a wait runs on its code name (unknown clients), its
 *   name-and-address pair or its address. Otherwise counted at once on all three (each count is one
 *   atomic upsert, so simultaneous attempts get distinct places); an attempt whose place, were it to
 *   fail, would start a wait claims that wait atomically before the check. Only one attempt can
 *   claim a wait, and all later ones find it running, so attempts past the free allowance go one at
 *   a time, each after the previous one's wait.
 *
 * Every attempt let through must be ended with {@link endSignInAttempt}: a failure keeps its count
 * (and any wait it claimed); anything else gives them back. An attempt that throws stays counted.
 * @returns `{ ok: true, ticket, knownDevice }` or `{ ok: false, retryAfterSeconds }` (whole seconds,
 *   ≥ 1: the longest wait that applies); a refused attempt is not counted
 */
export async function beginSignInAttempt(
  attempt: SignInAttempt,
): Promise<{ ok: true; ticket: SignInTicket; knownDevice: boolean } | { ok: false; retryAfterSeconds: number }> {
  const l = limiters();
  const device = await beginDeviceAttempt(l, attempt);
  if (device) return { ok: true, ticket: device, knownDevice: true };
  const name = normalName(attempt.codeName);
  const address = normalAddress(attempt.clientIp);
  const perName = { free: NAME_FREE_FAILURES, firstDelay: NAME_FIRST_DELAY_SECONDS };
  const counts = {
    name: { counter: l.nameFails, block: l.nameBlock, key: keyFor('name', name), ...perName },
    pair: { counter: l.pairFails, block: l.pairBlock, key: keyFor('pair', `${name}\0${address}`), ...perName },
    ip: { counter: l.ipFails, block: l.ipBlock, key: keyFor('ip', address), free: IP_FREE_FAILURES, firstDelay: IP_FIRST_DELAY_SECONDS },
  };
  const all = [counts.name, counts.pair, counts.ip];
  // Refuse while a wait runs, without counting (a refusal is no guess).
  const running = (await Promise.all(all.map((c) => c.block.get(c.key)))).filter(isActive).map((r) => r.msBeforeNext);
  if (running.length > 0) return { ok: false, retryAfterSeconds: wholeSeconds(Math.max(...running)) };

  const places = await Promise.all(all.map((c) => c.counter.penalty(c.key, 1)));
  const claimed: Count[] = [];
  const waits: number[] = [];
  for (const [i, count] of all.entries()) {
    const seconds = delayAfterFailures(places[i]!.consumedPoints, count);
    if (seconds === 0) continue;
    const claim = await claimWait(count, seconds);
    if (claim.claimed) claimed.push(count);
    else waits.push(claim.ms);
  }
  if (waits.length === 0) return { ok: true, ticket: { kind: 'unknown', ...counts, claimed }, knownDevice: false };
  // Another attempt holds a wait: this one goes nowhere, so it gives back its place and claims.
  await Promise.all([...all.map((c) => c.counter.reward(c.key, 1)), ...claimed.map((c) => c.block.delete(c.key))]);
  return { ok: false, retryAfterSeconds: wholeSeconds(Math.max(...waits)) };
}

function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * How an attempt begun with {@link beginSignInAttempt} ended:
 * - 'failed': a wrong password, unknown code name or wrong two-step code. Its count and any wait it
 *   claimed stay (lib/auth/throttle-policy.ts: waits after the free failures, a known device's
 *   lockout after its DEVICE_MAX_FAILURES-th).
 * - 'signed-in': a completed sign-in. From a known device: that device's count and lockout are
 *   cleared (the code name's count from unknown clients stays, so an attacker elsewhere stays
 *   slowed). From any other client: the code name's and this name-and-address pair's counts and
 *   waits are cleared; the address's count loses only this attempt.
 * - 'not-counted': neither (the right password with a second step to come, a spent or stale
 *   pending step): the attempt's place and any wait or lockout it claimed are given back.
 */
export async function endSignInAttempt(ticket: SignInTicket, outcome: 'failed' | 'signed-in' | 'not-counted'): Promise<void> {
  if (outcome === 'failed') return;
  const l = limiters();
  if (ticket.kind === 'device') {
    if (outcome === 'signed-in') await Promise.all([l.deviceFails.delete(ticket.key), l.deviceLockout.delete(ticket.key)]);
    else await Promise.all([l.deviceFails.reward(ticket.key, 1), ticket.setLockout ? l.deviceLockout.delete(ticket.key) : null]);
    return;
  }
  const giveBack = (c: Count) => Promise.all([c.counter.reward(c.key, 1), ticket.claimed.includes(c) ? c.block.delete(c.key) : null]);
  if (outcome === 'not-counted') {
    await Promise.all([ticket.name, ticket.pair, ticket.ip].map(giveBack));
    return;
  }
  const clear = (c: Count) => Promise.all([c.counter.delete(c.key), c.block.delete(c.key)]);
  await Promise.all([clear(ticket.name), clear(ticket.pair), giveBack(ticket.ip)]);
}
