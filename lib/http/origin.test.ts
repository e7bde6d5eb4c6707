import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from './origin';

const post = (headers: Record<string, string>) => new Request('http://localhost:3000/x', { method: 'POST', headers: { host: 'localhost:3000', ...headers } });

describe('isSameOriginRequest', () => {
  it('accepts same-origin posts, including Origin: null under no-referrer', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-origin', origin: 'null' }))).toBe(true);
    expect(isSameOriginRequest(post({ origin: 'http://localhost:3000' }))).toBe(true);
    expect(isSameOriginRequest(post({}))).toBe(true);
  });

  it('refuses cross-site and same-site posts and foreign origins', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' }))).toBe(false);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'https://evil.example' }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'null' }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'not a url' }))).toBe(false);
  });

  it('refuses a foreign Origin even when Sec-Fetch-Site claims same-origin (no browser sends both)', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }))).toBe(false);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'none', origin: 'http://localhost:3000.evil.example' }))).toBe(false);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' }))).toBe(true);
  });

  it('compares with the forwarded host behind a reverse proxy', () => {
    const behindProxy = new Request('http://127.0.0.1:3000/x', {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', 'x-forwarded-host': 'reports.example.org', origin: 'https://reports.example.org', 'sec-fetch-site': 'same-origin' },
    });
    expect(isSameOriginRequest(behindProxy)).toBe(true);
  });
});
