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
