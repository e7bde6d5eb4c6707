/**
 * Environment, validated with zod at first use (create-t3-app's `env.js` pattern).
 *
 * - NEXTAUTH_SECRET: required when NODE_ENV=production; at least 32 bytes (docs/security/README.md). Never logged.
 * - DATA_DIR: where the database and uploads live (default ./data).
 * - FIELD_REPORTS_DEMO=1: demo mode (demo accounts exempt from required 2FA).
 * - SESSION_MAX_AGE_HOURS: session lifetime in hours (default 8).
 * - AUDIT_SIGN_IN_RETENTION_DAYS: days sign-in audit rows are kept (default 90, 1–3650; lib/audit/retention.ts).
 * - SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD, MAIL_FROM, MAIL_LINK_ORIGIN: the
 *   editors' e-mail digest (lib/notifications/; issue 19 item 13). SMTP_HOST unset = mail off, and
 *   the app runs as before. With it set, MAIL_FROM is required, and the links' origin
 *   (MAIL_LINK_ORIGIN, else NEXTAUTH_URL). SMTP_PORT defaults to 587; SMTP_SECURITY is `tls`
 *   (implicit TLS, the default on port 465), `starttls` (required STARTTLS, the default otherwise)
 *   or `none`, allowed only towards a loopback host (a local relay or a test sink). SMTP_USER and
 *   SMTP_PASSWORD go together. SMTP_PASSWORD is never logged.
 */
import '@/lib/zod-setup';
import { z } from 'zod';

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    NEXTAUTH_SECRET: z.string().optional(),
    NEXTAUTH_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    FIELD_REPORTS_DEMO: z.enum(['0', '1']).default('0'),
    SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24).default(8),
    AUDIT_SIGN_IN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    SMTP_HOST: z.string().trim().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    SMTP_SECURITY: z.enum(['tls', 'starttls', 'none']).optional(),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    MAIL_FROM: z.email().optional(),
    MAIL_LINK_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((env, ctx) => {
    checkMailSettings(env, ctx);
    if (env.NODE_ENV === 'production') {
      if (!env.NEXTAUTH_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['NEXTAUTH_SECRET'],
          message:
            'NEXTAUTH_SECRET is required in production: set it to at least 32 random bytes, e.g. `openssl rand -base64 48`.',
        });
      } else if (Buffer.byteLength(env.NEXTAUTH_SECRET, 'utf8') < 32) {
        ctx.addIssue({
          code: 'custom',
          path: ['NEXTAUTH_SECRET'],
          message: 'NEXTAUTH_SECRET must be at least 32 bytes long (e.g. `openssl rand -base64 48`).',
        });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Hosts SMTP_SECURITY=none may name: the machine itself. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function checkMailSettings(
  env: { SMTP_HOST?: string; SMTP_SECURITY?: string; SMTP_USER?: string; SMTP_PASSWORD?: string; MAIL_FROM?: string; MAIL_LINK_ORIGIN?: string; NEXTAUTH_URL?: string },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!env.SMTP_HOST) return;
  if (!env.MAIL_FROM) issue('MAIL_FROM', 'MAIL_FROM is required when SMTP_HOST is set: the address the digest is sent from, e.g. desk@example.org.');
  if (!env.MAIL_LINK_ORIGIN && !env.NEXTAUTH_URL) issue('MAIL_LINK_ORIGIN', "MAIL_LINK_ORIGIN (or NEXTAUTH_URL) is required when SMTP_HOST is set: the site's address the digest links to, e.g. https://desk.example.org.");
  if (env.SMTP_SECURITY === 'none' && !LOOPBACK_HOSTS.has(env.SMTP_HOST.toLowerCase())) {
    issue('SMTP_SECURITY', 'SMTP_SECURITY=none is allowed only towards this machine (localhost, 127.0.0.1, ::1): use tls or starttls.');
  }
  if (!env.SMTP_USER !== !env.SMTP_PASSWORD) issue('SMTP_USER', 'Set SMTP_USER and SMTP_PASSWORD together (or neither).');
}

/** The digest's mail settings, or null when SMTP_HOST is unset (mail off). */
export type MailSettings = {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  auth: { user: string; pass: string } | null;
  from: string;
  /** The site's origin the digest's links start with, e.g. https://desk.example.org (no trailing slash). */
  linkOrigin: string;
};

/** The validated mail settings of `env` (default: the process's), or null when mail is off. */
export function getMailSettings(env: Env = getEnv()): MailSettings | null {
  if (!env.SMTP_HOST || !env.MAIL_FROM) return null;
  const origin = env.MAIL_LINK_ORIGIN ?? env.NEXTAUTH_URL;
  if (!origin) return null;
  const port = env.SMTP_PORT ?? (env.SMTP_SECURITY === 'tls' ? 465 : 587);
  return {
    host: env.SMTP_HOST,
    port,
    security: env.SMTP_SECURITY ?? (port === 465 ? 'tls' : 'starttls'),
    auth: env.SMTP_USER && env.SMTP_PASSWORD ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } : null,
    from: env.MAIL_FROM,
    linkOrigin: new URL(origin).origin,
  };
}

/**
 * Parse an environment object. Throws an Error whose message lists every problem (without
 * echoing any secret value).
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `- ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`Field Reports cannot start; fix the environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated process environment (parsed once). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** True when the app runs as the one-command demo. */
export function isDemoMode(): boolean {
  return getEnv().FIELD_REPORTS_DEMO === '1';
}

/** Secret used to sign session tokens. In development a fixed, clearly non-production value. */
export function getAuthSecret(): string {
  const env = getEnv();
  return env.NEXTAUTH_SECRET ?? 'development-only-secret-not-for-production-use-0000';
}
