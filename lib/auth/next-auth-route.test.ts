import { describe, expect, it } from 'vitest';
import { malformedNextAuthRequest, relativeLocation } from './next-auth-route';

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
