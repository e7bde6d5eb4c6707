/**
 * The settings of the app's own HTTP server (server.ts), validated before anything starts (the
 * lib/env.ts pattern: every problem listed in one message, and the server does not start):
 *
 * - HOST: the address to listen on, default `127.0.0.1` (loopback only). Expose the app through a
 *   reverse proxy; `0.0.0.0` or `::` only behind one (README "Production start"). Issue 16 item 17.
 * - PORT: default 3000.
 * - TRUSTED_PROXIES: whose X-Forwarded-For to believe (lib/server/trusted-proxies.ts), default none.
 * - SHUTDOWN_GRACE_SECONDS: how long requests in flight may take to finish after SIGTERM/SIGINT,
 *   default 10 (issue 16 item 16).
 *
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import net from 'node:net';
import '../zod-setup';
import { z } from 'zod';
import { parseTrustedProxies, TrustedProxiesError, type TrustedProxies } from './trusted-proxies';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;
/** A drain longer than this is a process manager's job (systemd's TimeoutStopSec), not ours. */
export const MAX_SHUTDOWN_GRACE_SECONDS = 600;

/** A host name (letters, digits, dots, hyphens) or an IPv4/IPv6 address. */
const hostSchema = z
  .string()
  .trim()
  .min(1)
  .refine((host) => net.isIP(host) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host), {
    message: 'an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name (localhost)',
  });

const serverEnvSchema = z.object({
  HOST: z.preprocess((v) => (v === '' ? undefined : v), hostSchema.default(DEFAULT_HOST)),
  PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT)),
  SHUTDOWN_GRACE_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().min(0).max(MAX_SHUTDOWN_GRACE_SECONDS).default(DEFAULT_SHUTDOWN_GRACE_SECONDS),
  ),
});

export type ServerConfig = {
  host: string;
  /** 0 = any free port (tests) */
  port: number;
  trustProxies: TrustedProxies;
  /** SHUTDOWN_GRACE_SECONDS in milliseconds */
  graceMs: number;
};

/**
 * Read HOST, PORT, TRUSTED_PROXIES and SHUTDOWN_GRACE_SECONDS from an environment object.
 * @throws Error whose message lists every bad variable with what it accepts ("Field Reports
 *   cannot start; fix the environment: …"), like lib/env.ts parseEnv
 */
export function parseServerEnv(source: Record<string, string | undefined>): ServerConfig {
  const problems: string[] = [];
  const parsed = serverEnvSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`- ${issue.path.join('.') || 'env'}: ${issue.message}`);
  }
  let trustProxies: TrustedProxies | undefined;
  try {
    trustProxies = parseTrustedProxies(source.TRUSTED_PROXIES);
  } catch (error) {
    if (!(error instanceof TrustedProxiesError)) throw error;
    problems.push(`- ${error.message}`);
  }
  if (!parsed.success || !trustProxies) throw new Error(`Field Reports cannot start; fix the environment:\n${problems.join('\n')}`);
  return { host: parsed.data.HOST, port: parsed.data.PORT, trustProxies, graceMs: Math.round(parsed.data.SHUTDOWN_GRACE_SECONDS * 1000) };
}
