import { describe, expect, it } from 'vitest';
import { publicAnswer, publicStreamAnswer, validatorsOfBody } from './public-answer';

const CACHE = 'public, max-age=0, s-maxage=50, must-revalidate';
const get = (headers: Record<string, string> = {}) => new Request('http://x.test/reports', { headers });

describe('publicAnswer', () => {
  it('sends the public caching headers with a strong body-hash ETag and Last-Modified', () => {
    const response = publicAnswer(get(), '<p>a</p>', { contentType: 'text/html; charset=utf-8', lastModified: Date.UTC(2026, 0, 2, 3, 4, 5, 678) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(CACHE);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(response.headers.get('last-modified')).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
  });

  it('gives a new tag when a byte changes, the same tag for the same bytes', () => {
    const a = validatorsOfBody('<p>published</p>', 'text/html', 0).etag;
    expect(validatorsOfBody('<p>published</p>', 'text/html', 99).etag).toBe(a);
    expect(validatorsOfBody('<p>retracted</p>', 'text/html', 0).etag).not.toBe(a);
    expect(validatorsOfBody('<p>published</p>', 'application/json', 0).etag).not.toBe(a);
  });

  it('answers 304 without a body to a matching If-None-Match, 200 to a stale one', () => {
    const options = { contentType: 'text/html; charset=utf-8', lastModified: 1_000_000 };
    const etag = publicAnswer(get(), 'body', options).headers.get('etag')!;
    const hit = publicAnswer(get({ 'if-none-match': `"other", ${etag}` }), 'body', options);
    expect(hit.status).toBe(304);
    expect(hit.body).toBeNull();
    expect(hit.headers.get('etag')).toBe(etag);
    expect(publicAnswer(get({ 'if-none-match': etag }), 'changed body', options).status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    expect(publicAnswer(get({ 'if-none-match': '"stale"', 'if-modified-since': new Date(2_000_000).toUTCString() }), 'body', options).status).toBe(200);
    expect(publicAnswer(get({ 'if-modified-since': new Date(2_000_000).toUTCString() }), 'body', options).status).toBe(304);
  });

  it('sends a 404 no-store and never 304', () => {
    const response = publicAnswer(get({ 'if-none-match': '*' }), 'not found', { contentType: 'text/html', lastModified: 0, status: 404 });
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBeNull();
  });
});

describe('publicStreamAnswer', () => {
  it('does not build the body for a 304', () => {
    let built = 0;
    const body = () => {
      built += 1;
      return new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    };
    const validators = { etag: '"abc"', lastModified: 0 };
    expect(publicStreamAnswer(get({ 'if-none-match': '"abc"' }), body, { contentType: 'text/csv', validators }).status).toBe(304);
    expect(built).toBe(0);
    const fresh = publicStreamAnswer(get(), body, { contentType: 'text/csv', validators, headers: { 'content-disposition': 'attachment' } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('cache-control')).toBe(CACHE);
    expect(fresh.headers.get('content-disposition')).toBe('attachment');
    expect(built).toBe(1);
  });
});
