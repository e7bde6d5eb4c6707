import { describe, expect, it } from 'vitest';
import { handleNextAuth, isAcceptableCallbackUrl, malformedCallbackUrl, malformedNextAuthRequest, relativeLocation } from './next-auth-route';

describe("next-auth's redirects, made relative", () => {
  it('drops the origin next-auth took from NEXTAUTH_URL, so the browser stays on the host it used', () => {
    expect(relativeLocation('http://localhost:3100/api/auth/error?error=CredentialsSignin&provider=credentials')).toBe('/api/auth/error?error=CredentialsSignin&provider=credentials');
    expect(relativeLocation('https://reports.example.org/partner/reports/new#top')).toBe('/partner/reports/new#top');
    expect(relativeLocation('/sign-in?error=Configuration')).toBe('/sign-in?error=Configuration');
  });

  it('never yields a path that a browser reads as another host', () => {
    for (const hostile of ['https://reports.example.org//evil.example/x', 'https://reports.example.org/.//evil.example', '//evil.example/x', '/\\evil.example', 'http://[bad']) {
      const path = relativeLocation(hostile);
      expect(path, hostile).toMatch(/^\/(?![/\\])/);
      expect(new URL(path, 'https://reports.example.org').origin, hostile).toBe('https://reports.example.org');
    }
  });
});

describe("requests next-auth would answer with 500", () => {
  const check = (url: string, nextauth: string[]) => malformedNextAuthRequest(new URL(url, 'http://localhost:3100'), nextauth);

  it('refuses an error code that is not a plain word (next-auth copies it into a Location header)', () => {
    expect(check('/api/auth/error?error=%FF', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error?error=%E2%82%AC', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error?error=a%0Ab', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error/%E2%82%AC', ['error', '€'])).toBe('unknown error code');
  });

  it('refuses a repeated error parameter whose later value is not a plain word (next-auth uses the last, URLSearchParams.get the first)', () => {
    expect(check('/api/auth/error?error=x&error=%FF', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error?error=Configuration&error=%E2%82%AC', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error?error=Configuration&error=a%0Ab', ['error'])).toBe('unknown error code');
    expect(check('/api/auth/error/Configuration?error=%E2%82%AC', ['error', 'Configuration'])).toBe('unknown error code');
    expect(check('/api/auth/error?error=Configuration&error=CredentialsSignin', ['error'])).toBeNull();
  });

  it("passes next-auth's own codes and every other endpoint", () => {
    expect(check('/api/auth/error?error=CredentialsSignin', ['error'])).toBeNull();
    expect(check('/api/auth/error', ['error'])).toBeNull();
    expect(check('/api/auth/error/Configuration', ['error', 'Configuration'])).toBeNull();
    expect(check('/api/auth/session?x=%FF', ['session'])).toBeNull();
  });
});

describe('callbackUrl values next-auth would answer with 500, and GET on the sign-in callback', () => {
  const HOSTS = ['reports.example.org', 'localhost:3100'];

  it('accepts a same-site path, an absolute URL of our own host and no value', () => {
    for (const ok of ['/partner/reports/new', '/sign-in?callbackUrl=%2Fpartner', '/%E2%82%AC', 'https://reports.example.org/partner', 'http://localhost:3100/editor?x=1', '']) {
      expect(isAcceptableCallbackUrl(ok, HOSTS), ok).toBe(true);
    }
  });

  it('refuses text that is not a URL, control characters, backslashes, other hosts and non-ASCII', () => {
    for (const bad of ['€', '\nb', 'x\r\ny', '/a\nb', '/\\evil.example', '//evil.example/x', 'https://evil.example/x', 'https://reports.example.org.evil.example/', 'https://user@reports.example.org/', 'javascript:alert(1)', 'https://reports.example.org/€', '€ https://evil.example/x?token=LEAKQ3&pw=hunter2', `/${'a'.repeat(3000)}`]) {
      expect(isAcceptableCallbackUrl(bad, HOSTS), JSON.stringify(bad)).toBe(false);
    }
  });

  it('reads every callbackUrl of the query and of a url-encoded or JSON body, as next-auth does', async () => {
    const at = (path: string, init: RequestInit = {}) => malformedCallbackUrl(new Request(`http://localhost:3100${path}`, init));
    expect(await at('/api/auth/callback/credentials?callbackUrl=%E2%82%AC')).toMatch(/callbackUrl/);
    expect(await at('/api/auth/signin?callbackUrl=%2Fpartner&callbackUrl=x%0D%0Ay')).toMatch(/callbackUrl/);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await at('/api/auth/signin', { method: 'POST', headers: form, body: 'a=b&callbackUrl=%0Ab' })).toMatch(/callbackUrl/);
    expect(await at('/api/auth/signin', { method: 'POST', headers: form, body: 'a=b&callbackUrl=%2Fpartner' })).toBeNull();
    const json = { 'content-type': 'application/json' };
    expect(await at('/api/auth/signin', { method: 'POST', headers: json, body: '{"callbackUrl":"€"}' })).toMatch(/callbackUrl/);
    expect(await at('/api/auth/signin', { method: 'POST', headers: json, body: '{"callbackUrl":["/"]}' })).toMatch(/callbackUrl/);
    expect(await at('/api/auth/signin', { method: 'POST', headers: json, body: '{broken' })).toBe('body is not JSON');
    expect(await at('/api/auth/signin', { method: 'POST', headers: json, body: '{"callbackUrl":"/partner"}' })).toBeNull();
    expect(await at('/api/auth/session')).toBeNull();
  });

  it('answers 400 before next-auth for a bad callbackUrl, and 405 Allow: POST for GET or HEAD on a callback', async () => {
    const refused = await handleNextAuth(new Request('http://localhost:3100/api/auth/signin?callbackUrl=%E2%82%AC', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' }), ['signin']);
    expect(refused.status).toBe(400);
    for (const method of ['GET', 'HEAD']) {
      const answer = await handleNextAuth(new Request('http://localhost:3100/api/auth/callback/credentials', { method }), ['callback', 'credentials']);
      expect({ method, status: answer.status, allow: answer.headers.get('allow') }).toEqual({ method, status: 405, allow: 'POST' });
    }
  });
});
