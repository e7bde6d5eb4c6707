/**
 * Unsealing a server that started without its key (docs/security/encryption-at-rest.md): the
 * newsroom's passphrase gives the data key through Argon2id; the key is kept only if it opens the
 * database. A wrong passphrase writes nothing (SQLCipher refuses the first page before any file is
 * touched) and counts against the address in memory only — while sealed, nothing may be written.
 *
 * Throttling, in this process's memory (the sign-in policy's shape, lib/auth/throttle-policy.ts):
 * - per client address: 5 wrong passphrases are free, then each next attempt waits 10 s, 20 s,
 *   40 s … up to 5 minutes;
 * - for everyone together: 20 wrong passphrases an hour are free, then the same waits apply to all
 *   — an attacker with many addresses (an IPv6 prefix, a botnet) can vary the per-address count
 *   (the address itself is the connection's: docs/security/README.md "Client address"), so this
 *   bound is the one an attacker cannot step around (a flood also delays the newsroom: restarting the process clears
 *   it, or use a key file);
 * - an attempt is counted before its Argon2id runs: one attempt per address at a time, at most
 *   MAX_PENDING_UNSEALS in flight, one derivation running (64 MiB each) — parallel requests can
 *   neither skip the count nor queue without end.
 */
import 'server-only';
import fs from 'node:fs';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { getDatabasePath, getDataDir, getDb, openSqlite } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { delayAfterFailures, MAX_DELAY_SECONDS } from '@/lib/auth/throttle-policy';
import { deriveKey, isSealed, KeyError, setDataKey } from './keys';
import { hasPassphraseFile, keyFromPassphrase } from './passphrase';
import { logger } from '@/lib/log';

/** Wrong passphrases per address before waits start. */
export const UNSEAL_FREE_FAILURES = 5;
/** First wait after the free failures, in seconds (then doubling to MAX_DELAY_SECONDS). */
export const UNSEAL_FIRST_DELAY_SECONDS = 10;
/** Window in which failures are counted, in seconds. */
export const UNSEAL_WINDOW_SECONDS = 3600;
/** Longest passphrase read, in characters (Argon2id's input is not bounded otherwise). */
export const MAX_PASSPHRASE_LENGTH = 1024;

/** Wrong passphrases from all addresses together, per window, before everyone waits. */
export const UNSEAL_GLOBAL_FREE_FAILURES = 20;
/** Unseal attempts being checked at once (one per address); more are answered `busy`. */
export const MAX_PENDING_UNSEALS = 4;
/** Seconds a `busy` answer asks the client to wait. */
export const BUSY_RETRY_SECONDS = 5;
/** The limiter key standing for all addresses together. */
const EVERYONE = '*';

type Limiters = { fails: RateLimiterMemory; block: RateLimiterMemory };
type UnsealState = { limiters: Limiters; running: Promise<unknown>; pending: Set<string> };
const globalForUnseal = globalThis as unknown as { __fieldReportsUnseal?: UnsealState };

function state(): UnsealState {
  globalForUnseal.__fieldReportsUnseal ??= {
    limiters: {
      fails: new RateLimiterMemory({ keyPrefix: 'unseal-fails', points: 1_000_000, duration: UNSEAL_WINDOW_SECONDS }),
      block: new RateLimiterMemory({ keyPrefix: 'unseal-block', points: 1, duration: MAX_DELAY_SECONDS }),
    },
    running: Promise.resolve(),
    pending: new Set(),
  };
  return globalForUnseal.__fieldReportsUnseal;
}

/** Seconds `key` must still wait (0 = may try now). */
async function waitFor(limiters: Limiters, key: string): Promise<number> {
  const blocked = await limiters.block.get(key);
  return blocked && blocked.consumedPoints > 1 && blocked.msBeforeNext > 0 ? Math.max(1, Math.ceil(blocked.msBeforeNext / 1000)) : 0;
}

/** Count a wrong passphrase for `key` and start the wait the policy prescribes. */
async function countFailure(limiters: Limiters, key: string, free: number): Promise<void> {
  const counted = await limiters.fails.penalty(key, 1);
  const wait = delayAfterFailures(counted.consumedPoints, { free, firstDelay: UNSEAL_FIRST_DELAY_SECONDS });
  if (wait > 0) await limiters.block.block(key, wait);
}

export type UnsealResult =
  | { ok: true }
  | { ok: false; code: 'not_sealed' }
  | { ok: false; code: 'throttled'; retryAfterSeconds: number }
  | { ok: false; code: 'busy'; retryAfterSeconds: number }
  | { ok: false; code: 'invalid'; message: string }
  | { ok: false; code: 'wrong_passphrase' }
  | { ok: false; code: 'not_set_up'; message: string };

/** Run `task` after every derivation already queued (one Argon2id at a time). */
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const s = state();
  const next = s.running.then(task, task);
  s.running = next.catch(() => undefined);
  return next;
}

/**
 * Try a passphrase.
 * @param passphrase as typed (NFC-normalised inside); 1–1,024 characters
 * @param clientKey the client address (or another stable key) to throttle on; never stored
 * @returns ok (the server is unsealed and the unsealing audited), or why not. A wrong passphrase
 *   and a damaged database answer alike (`wrong_passphrase`): SQLCipher cannot tell them apart.
 */
export async function unsealWithPassphrase({ passphrase, clientKey }: { passphrase: string; clientKey: string }): Promise<UnsealResult> {
  if (!isSealed()) return { ok: false, code: 'not_sealed' };
  const s = state();
  if (s.pending.has(clientKey) || s.pending.size >= MAX_PENDING_UNSEALS) return { ok: false, code: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS };
  // Taken before the first await and held to the verdict: a second attempt from this address, or
  // one past the cap, is answered `busy` instead of slipping past the count while this one runs.
  s.pending.add(clientKey);
  let dataKey: Buffer;
  try {
    const wait = Math.max(await waitFor(s.limiters, clientKey), await waitFor(s.limiters, EVERYONE));
    if (wait > 0) return { ok: false, code: 'throttled', retryAfterSeconds: wait };
    if (passphrase.length === 0) return { ok: false, code: 'invalid', message: 'Enter the passphrase.' };
    if (passphrase.length > MAX_PASSPHRASE_LENGTH) return { ok: false, code: 'invalid', message: `The passphrase is longer than ${MAX_PASSPHRASE_LENGTH} characters.` };
    const dataDir = getDataDir();
    const databaseFile = getDatabasePath();
    if (!hasPassphraseFile(dataDir) || !fs.existsSync(databaseFile)) {
      return {
        ok: false,
        code: 'not_set_up',
        message: 'This server has no passphrase set up (no passphrase.json or no database in DATA_DIR). Run `npm run db:migrate` on the server, or configure FIELD_REPORTS_KEY_FILE.',
      };
    }
    dataKey = await oneAtATime(() => keyFromPassphrase(passphrase, dataDir));
    try {
      openSqlite(databaseFile, { key: deriveKey(dataKey, 'database') }).close();
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      dataKey.fill(0);
      await Promise.all([countFailure(s.limiters, clientKey, UNSEAL_FREE_FAILURES), countFailure(s.limiters, EVERYONE, UNSEAL_GLOBAL_FREE_FAILURES)]);
      return { ok: false, code: 'wrong_passphrase' };
    }
  } finally {
    s.pending.delete(clientKey);
  }
  if (!isSealed()) return { ok: true }; // another request unsealed it meanwhile
  setDataKey(dataKey, 'passphrase');
  dataKey.fill(0);
  await Promise.all([s.limiters.fails.delete(clientKey), s.limiters.block.delete(clientKey)]);
  getDb().insert(auditEvents).values({ actorId: null, kind: 'server_unsealed', detail: { via: 'passphrase' } }).run();
  logger.info({ event: 'server_unsealed' }, 'the passphrase opened the data: the server is serving again');
  return { ok: true };
}
