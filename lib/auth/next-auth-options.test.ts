import { describe, expect, it } from 'vitest';
import { getNextAuthOptions } from './next-auth-options';

const baseUrl = 'https://reports.example.org';

async function redirectFor(url: string): Promise<string> {
  const redirect = getNextAuthOptions().callbacks?.redirect;
  if (!redirect) throw new Error('no redirect callback');
  return redirect({ url, baseUrl });
}

describe("next-auth's redirect callback", () => {
  it('keeps callbackUrl on our origin (protocol-relative, dot-segment and look-alike hosts go home)', async () => {
    for (const hostile of ['//evil.example/x', '/.//evil.example', '/\\evil.example', 'https://evil.example/', `${baseUrl}.evil.example/`, `${baseUrl}@evil.example/`, 'javascript:alert(1)']) {
      const target = await redirectFor(hostile);
      expect(new URL(target).origin, hostile).toBe(baseUrl);
    }
  });

  it('follows paths and absolute URLs of our own origin', async () => {
    expect(await redirectFor('/partner/reports/new')).toBe(`${baseUrl}/partner/reports/new`);
    expect(await redirectFor(`${baseUrl}/editor?status=submitted`)).toBe(`${baseUrl}/editor?status=submitted`);
  });
});

describe("next-auth's jwt callback", () => {
  it('stamps the sign-in time and a fresh session id at sign-in, and keeps them unchanged on a re-issue', async () => {
    const jwt = getNextAuthOptions().callbacks?.jwt;
    if (!jwt) throw new Error('no jwt callback');
    const before = Math.floor(Date.now() / 1000);
    const signedIn = await jwt({ token: {}, user: { id: '7', sv: 3 } as never, account: null });
    expect(signedIn).toMatchObject({ sub: '7', sv: 3, sid: expect.stringMatching(/^[\w-]{22}$/) });
    const authTime = (signedIn as { auth_time: number }).auth_time;
    expect(authTime).toBeGreaterThanOrEqual(before);
    expect(authTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // A re-issue (no user) copies the claims, the sign-in time included; next-auth's own iat/exp go.
    expect(await jwt({ token: { ...signedIn, iat: authTime + 60, exp: authTime + 99_999 }, account: null } as never)).toEqual(signedIn);
  });

  it('will not re-issue a token without a sign-in time', async () => {
    const jwt = getNextAuthOptions().callbacks?.jwt;
    if (!jwt) throw new Error('no jwt callback');
    await expect(jwt({ token: { sub: '7', sv: 3, sid: 'abcdefghijklmnopqrstuv' }, account: null } as never)).rejects.toThrow(/claims/);
  });
});
