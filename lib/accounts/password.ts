import 'server-only';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Argon2id parameters: 19 MiB memory, 2 iterations, 1 lane — OWASP's minimum recommendation
 * (OWASP Password Storage Cheat Sheet; docs/security/README.md "Accounts and sessions").
 */
const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, not importable under isolatedModules)
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hash a password with Argon2id. Returns a PHC string ("$argon2id$v=19$m=19456,t=2,p=1$…"). */
export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2_OPTIONS);
}

// A real hash of a random value: verifying against it costs the same as a real account, so an
// unknown code name takes about as long to refuse as a wrong password.
let dummyHash: Promise<string> | undefined;

/**
 * Check a password against a stored hash. With `storedHash` null (unknown account or no password
 * set yet) a dummy hash is verified anyway and false returned, so timing does not reveal which.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  const candidate = password.normalize('NFC');
  if (!storedHash) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verify(await dummyHash, candidate).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, candidate);
  } catch {
    return false;
  }
}
