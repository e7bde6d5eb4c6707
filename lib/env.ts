/**
 * Environment, validated with zod at first use (create-t3-app's `env.js` pattern).
 *
 * - NEXTAUTH_SECRET: required when NODE_ENV=production; at least 32 bytes (docs/security/README.md). Never logged.
 * - DATA_DIR: where the database and uploads live (default ./data).
 * - FIELD_REPORTS_DEMO=1: demo mode (demo accounts exempt from required 2FA).
 * - SESSION_MAX_AGE_HOURS: session lifetime in hours (default 8).
 * - AUDIT_SIGN_IN_RETENTION_DAYS: days sign-in audit rows are kept (default 90, 1–3650; lib/audit/retention.ts).
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
  })
  .superRefine((env, ctx) => {
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
