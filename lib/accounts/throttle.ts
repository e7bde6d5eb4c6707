import 'server-only';
import crypto from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import fs from 'node:fs';
import { getDataDir, openSqlite } from '@/db/client';
import { getDerivedKey, isPlaintextMode, KeyError } from '@/lib/at-rest/keys';
import { getAuthSecret } from '@/lib/env';
import {
  delayAfterFailures,
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
 * Keys are HMAC-SHA256 digests (keyed from NEXTAUTH_SECRET) of the lower-cased code name and of the
 * client IP address, so the table holds neither names nor addresses, and an address cannot be
 * recovered by hashing the whole IPv4 space.
 */

type Limiters = { db: Database.Database; nameFails: RateLimiterSQLite; nameBlock: RateLimiterSQLite; ipFails: RateLimiterSQLite; ipBlock: RateLimiterSQLite };
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
    ipFails: new RateLimiterSQLite({ ...common, keyPrefix: 'ip-fails', points: 1_000_000, duration: IP_WINDOW_SECONDS }),
    ipBlock: new RateLimiterSQLite({ ...common, keyPrefix: 'ip-block', points: 1, duration: MAX_DELAY_SECONDS }),
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

function keyFor(kind: 'name' | 'ip', value: string): string {
  const key = crypto.createHash('sha256').update(`${getAuthSecret()}\0sign-in-throttle`).digest();
  return crypto.createHmac('sha256', key).update(`${kind}\0${value}`).digest('base64url');
}

function nameKey(codeName: string): string {
  return keyFor('name', codeName.normalize('NFC').trim().toLowerCase());
}

function ipKey(clientIp: string | null | undefined): string {
  return keyFor('ip', clientIp?.trim() || 'unknown');
}

/**
 * May a sign-in attempt for this code name from this address go ahead now?
 * @returns `{ ok: true }` or `{ ok: false, retryAfterSeconds }` (whole seconds, ≥ 1)
 */
export async function checkSignInThrottle({ codeName, clientIp }: { codeName: string; clientIp?: string | null }): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const l = limiters();
  const [byName, byIp] = await Promise.all([l.nameBlock.get(nameKey(codeName)), l.ipBlock.get(ipKey(clientIp))]);
  const waits = [byName, byIp].filter((r) => r && r.consumedPoints > 1 && r.msBeforeNext > 0).map((r) => r!.msBeforeNext);
  if (waits.length === 0) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
}

/**
 * Count a failed attempt (wrong password, unknown name or wrong code) against the code name and
 * the address, and start the wait the policy prescribes.
 */
export async function recordSignInFailure({ codeName, clientIp }: { codeName: string; clientIp?: string | null }): Promise<void> {
  const l = limiters();
  const name = nameKey(codeName);
  const ip = ipKey(clientIp);
  const [nameRes, ipRes] = await Promise.all([l.nameFails.penalty(name, 1), l.ipFails.penalty(ip, 1)]);
  const nameDelay = delayAfterFailures(nameRes.consumedPoints, { free: NAME_FREE_FAILURES, firstDelay: NAME_FIRST_DELAY_SECONDS });
  const ipDelay = delayAfterFailures(ipRes.consumedPoints, { free: IP_FREE_FAILURES, firstDelay: IP_FIRST_DELAY_SECONDS });
  await Promise.all([nameDelay > 0 ? l.nameBlock.block(name, nameDelay) : null, ipDelay > 0 ? l.ipBlock.block(ip, ipDelay) : null]);
}

/** Forget a code name's failures after a completed sign-in (the address's count stays). */
export async function clearSignInFailures({ codeName }: { codeName: string }): Promise<void> {
  const l = limiters();
  const name = nameKey(codeName);
  await Promise.all([l.nameFails.delete(name), l.nameBlock.delete(name)]);
}
