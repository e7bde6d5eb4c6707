import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';

/** A stand-in for next/headers' cookie jar: what the browser sent, and what the response sets. */
const jar = {
  sent: new Map<string, string>(),
  set: vi.fn((name: string, value: string) => void jar.sent.set(name, value)),
  get: (name: string) => (jar.sent.has(name) ? { name, value: jar.sent.get(name)! } : undefined),
};
/** The request's Accept-Language header (null: not sent). */
let acceptLanguage: string | null = null;
vi.mock('next/headers', () => ({ cookies: async () => jar, headers: async () => new Headers(acceptLanguage === null ? {} : { 'accept-language': acceptLanguage }) }));

let align: typeof import('./session-locale').alignLocaleAtSessionStart;
let locale: typeof import('@/lib/accounts/locale');

beforeAll(async () => {
  align = (await import('./session-locale')).alignLocaleAtSessionStart;
  locale = await import('@/lib/accounts/locale');
});

beforeEach(() => {
  jar.sent.clear();
  jar.set.mockClear();
  acceptLanguage = null;
});

describe('the language when a session starts', () => {
  it('keeps a language chosen in this browser before signing in, on the account', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    expect(locale.getAccountLocale({ accountId: id })).toBe('en');
    jar.sent.set('fr.locale', 'ko');
    await align({ accountId: id });
    expect(locale.getAccountLocale({ accountId: id })).toBe('ko');
  });

  it('gives a browser without a choice the account’s chosen language, so the sign-in page speaks it after sign-out', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    locale.setAccountLocale({ accountId: id, locale: 'ko' });
    acceptLanguage = 'en-US,en;q=0.9';
    await align({ accountId: id });
    expect(jar.set).toHaveBeenCalledWith('fr.locale', 'ko', expect.objectContaining({ httpOnly: true, path: '/' }));
    expect(locale.getAccountLocale({ accountId: id })).toBe('ko');
  });

  it('gives an account whose language was never chosen the browser’s Accept-Language, not as a choice and without a cookie', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    expect(locale.getAccountLocaleChoice({ accountId: id })).toEqual({ locale: 'en', chosen: false });
    acceptLanguage = 'ko-KR,ko;q=0.9,en;q=0.5';
    await align({ accountId: id });
    expect(locale.getAccountLocaleChoice({ accountId: id })).toEqual({ locale: 'ko', chosen: false });
    expect(jar.set).not.toHaveBeenCalled();
    // Signing in later from an English browser: it follows that browser (English, when nothing matches).
    for (const header of ['en-GB', null, 'fr-FR']) {
      acceptLanguage = header;
      await align({ accountId: id });
      expect(locale.getAccountLocaleChoice({ accountId: id }), String(header)).toEqual({ locale: 'en', chosen: false });
    }
  });

  it('counts a language chosen in the browser before signing in as the account’s choice, even when it is the same', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    jar.sent.set('fr.locale', 'en');
    acceptLanguage = 'ko';
    await align({ accountId: id });
    expect(locale.getAccountLocaleChoice({ accountId: id })).toEqual({ locale: 'en', chosen: true });
    jar.sent.clear();
    await align({ accountId: id });
    expect(locale.getAccountLocaleChoice({ accountId: id })).toEqual({ locale: 'en', chosen: true });
    expect(jar.sent.get('fr.locale')).toBe('en');
  });

  it('ignores an unknown or hostile cookie: the account keeps its language and the cookie is replaced', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    locale.setAccountLocale({ accountId: id, locale: 'ko' });
    for (const junk of ['xx', '../../etc', 'KO', '']) {
      jar.sent.set('fr.locale', junk);
      await align({ accountId: id });
      expect(locale.getAccountLocale({ accountId: id }), junk).toBe('ko');
      expect(jar.sent.get('fr.locale'), junk).toBe('ko');
    }
  });

  it('writes only a known language into the cookie, even if the account column holds something else', async () => {
    const { id } = await insertTestAccount({ role: 'partner' });
    const { getSqlite } = await import('@/db/client');
    getSqlite().prepare("UPDATE accounts SET locale = 'xx', locale_chosen = 1 WHERE id = ?").run(id);
    await align({ accountId: id });
    expect(jar.sent.get('fr.locale')).toBe('en');
  });

  it('changes nothing for an unknown account', async () => {
    jar.sent.set('fr.locale', 'ko');
    await align({ accountId: 987654 });
    expect(jar.set).not.toHaveBeenCalled();
    expect(locale.getAccountLocale({ accountId: 987654 })).toBeNull();
  });
});
