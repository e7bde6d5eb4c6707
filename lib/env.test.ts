import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('refuses production without NEXTAUTH_SECRET, naming the variable', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/NEXTAUTH_SECRET is required in production/);
  });

  it('refuses a production secret shorter than 32 bytes without echoing it', () => {
    let message = '';
    try {
      parseEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'short-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/at least 32 bytes/);
    expect(message).not.toContain('short-secret-value');
  });

  it('accepts a 32-byte secret in production and fills defaults', () => {
    const env = parseEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'a'.repeat(32) });
    expect(env.DATA_DIR).toBe('./data');
    expect(env.SESSION_MAX_AGE_HOURS).toBe(8);
    expect(env.FIELD_REPORTS_DEMO).toBe('0');
  });

  it('does not require a secret in development', () => {
    expect(parseEnv({ NODE_ENV: 'development' }).NEXTAUTH_SECRET).toBeUndefined();
  });

  it('refuses a session lifetime longer than a day', () => {
    expect(() => parseEnv({ SESSION_MAX_AGE_HOURS: '720' })).toThrow(/SESSION_MAX_AGE_HOURS/);
  });

  it('keeps sign-in audit rows 90 days unless told, and refuses a retention under a day or over ten years', () => {
    expect(parseEnv({}).AUDIT_SIGN_IN_RETENTION_DAYS).toBe(90);
    expect(parseEnv({ AUDIT_SIGN_IN_RETENTION_DAYS: '30' }).AUDIT_SIGN_IN_RETENTION_DAYS).toBe(30);
    for (const bad of ['0', '-5', '1.5', '3651', 'forever']) expect(() => parseEnv({ AUDIT_SIGN_IN_RETENTION_DAYS: bad })).toThrow(/AUDIT_SIGN_IN_RETENTION_DAYS/);
  });
});
