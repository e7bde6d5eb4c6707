/**
 * Unsealing a server that started without its key (docs/security/encryption-at-rest.md): the
 * newsroom's passphrase gives the data key through Argon2id; the key is kept only if it opens the
 * database. A wrong passphrase writes nothing (SQLCipher refuses the first page before any file is
 * touched) and counts against the address in memory only — while sealed, nothing may be written.
 *
 * Throttling (per client address, in this process's memory): 5 wrong passphrases are free; after
 * that each next attempt waits 10 s, 20 s, 40 s … up to 5 minutes (the sign-in policy's shape,
 * lib/accounts/throttle-policy.ts). At most one Argon2id derivation runs at a time, so a flood of
 * guesses cannot exhaust memory (64 MiB each).
 */
import 'server-only';
import fs from 'node:fs';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { getDatabasePath, getDataDir, getDb, openSqlite } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { delayAfterFailures, MAX_DELAY_SECONDS } from '@/lib/accounts/throttle-policy';
import { deriveKey, isSealed, KeyError, setDataKey } from './keys';
import { hasPassphraseFile, keyFromPassphrase } from './passphrase';

/** Wrong passphrases per address before waits start. */
export const UNSEAL_FREE_FAILURES = 5;
/** First wait after the free failures, in seconds (then doubling to MAX_DELAY_SECONDS). */
export const UNSEAL_FIRST_DELAY_SECONDS = 10;
/** Window in which failures are counted, in seconds. */
export const UNSEAL_WINDOW_SECONDS = 3600;
/** Longest passphrase read, in characters (Argon2id's input is not bounded otherwise). */
export const MAX_PASSPHRASE_LENGTH = 1024;

type Limiters = { fails: RateLimiterMemory; block: RateLimiterMemory };
const globalForUnseal = globalThis as unknown as { __fieldReportsUnseal?: { limiters: Limiters; running: Promise<unknown> } };

function state() {
  globalForUnseal.__fieldReportsUnseal ??= {
    limiters: {
      fails: new RateLimiterMemory({ keyPrefix: 'unseal-fails', points: 1_000_000, duration: UNSEAL_WINDOW_SECONDS }),
      block: new RateLimiterMemory({ keyPrefix: 'unseal-block', points: 1, duration: MAX_DELAY_SECONDS }),
    },
    running: Promise.resolve(),
  };
  return globalForUnseal.__fieldReportsUnseal;
}

export type UnsealResult =
  | { ok: true }
  | { ok: false; code: 'not_sealed' }
  | { ok: false; code: 'throttled'; retryAfterSeconds: number }
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
  const blocked = await s.limiters.block.get(clientKey);
  if (blocked && blocked.consumedPoints > 1 && blocked.msBeforeNext > 0) {
    return { ok: false, code: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil(blocked.msBeforeNext / 1000)) };
  }
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

  const dataKey = await oneAtATime(() => keyFromPassphrase(passphrase, dataDir));
  try {
    openSqlite(databaseFile, { key: deriveKey(dataKey, 'database') }).close();
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    dataKey.fill(0);
    const counted = await s.limiters.fails.penalty(clientKey, 1);
    const wait = delayAfterFailures(counted.consumedPoints, { free: UNSEAL_FREE_FAILURES, firstDelay: UNSEAL_FIRST_DELAY_SECONDS });
    if (wait > 0) await s.limiters.block.block(clientKey, wait);
    return { ok: false, code: 'wrong_passphrase' };
  }
  if (!isSealed()) return { ok: true }; // another request unsealed it meanwhile
  setDataKey(dataKey, 'passphrase');
  dataKey.fill(0);
  await Promise.all([s.limiters.fails.delete(clientKey), s.limiters.block.delete(clientKey)]);
  getDb().insert(auditEvents).values({ actorId: null, kind: 'server_unsealed', detail: { via: 'passphrase' } }).run();
  console.info('[unseal] the passphrase opened the data: the server is serving again');
  return { ok: true };
}
