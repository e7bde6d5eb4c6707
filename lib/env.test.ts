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

describe('mail settings (the editors’ digest)', () => {
  it('are off when SMTP_HOST is unset, and the app starts', async () => {
    const { getMailSettings } = await import('./env');
    expect(getMailSettings(parseEnv({ NODE_ENV: 'development' }))).toBeNull();
  });

  it('need MAIL_FROM and a link origin once SMTP_HOST is set', () => {
    expect(() => parseEnv({ SMTP_HOST: 'smtp.example.org' })).toThrow(/MAIL_FROM is required[\s\S]*MAIL_LINK_ORIGIN \(or NEXTAUTH_URL\) is required/);
  });

  it('refuse plain SMTP towards another machine, and a user without a password, without echoing secrets', () => {
    let message = '';
    try {
      parseEnv({ SMTP_HOST: 'smtp.example.org', SMTP_SECURITY: 'none', SMTP_USER: 'desk', MAIL_FROM: 'desk@example.org', MAIL_LINK_ORIGIN: 'https://desk.example.org' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_SECURITY=none is allowed only towards this machine/);
    expect(message).toMatch(/Set SMTP_USER and SMTP_PASSWORD together/);
    expect(() => parseEnv({ SMTP_HOST: 'smtp.example.org', SMTP_USER: 'desk', SMTP_PASSWORD: 'hunter2-secret', MAIL_FROM: 'nope' })).toThrow(/MAIL_FROM/);
    try {
      parseEnv({ SMTP_HOST: 'smtp.example.org', SMTP_USER: 'desk', SMTP_PASSWORD: 'hunter2-secret', MAIL_FROM: 'nope' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2-secret');
    }
  });

  it('default to required STARTTLS on 587, implicit TLS on 465, and links from NEXTAUTH_URL', async () => {
    const { getMailSettings } = await import('./env');
    const base = { SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'desk@example.org', NEXTAUTH_URL: 'https://desk.example.org/some/path' };
    expect(getMailSettings(parseEnv(base))).toEqual({ host: 'smtp.example.org', port: 587, security: 'starttls', auth: null, from: 'desk@example.org', linkOrigin: 'https://desk.example.org' });
    expect(getMailSettings(parseEnv({ ...base, SMTP_PORT: '465' }))).toMatchObject({ port: 465, security: 'tls' });
    expect(getMailSettings(parseEnv({ ...base, SMTP_HOST: '127.0.0.1', SMTP_SECURITY: 'none', SMTP_PORT: '2525', MAIL_LINK_ORIGIN: 'http://localhost:3000' }))).toMatchObject({ security: 'none', linkOrigin: 'http://localhost:3000' });
  });
});
