/**
 * The conditional-request rules of public output (issue 16 item 12; RFC 9110 §13): the header a
 * browser must revalidate, strong ETags that change with what they describe, and when a request
 * may be answered 304.
 */
import { describe, expect, it } from 'vitest';
import {
  httpDate,
  isNotModified,
  notModifiedResponse,
  PUBLIC_REVALIDATE_CACHE_CONTROL,
  publicCacheHeaders,
  SHARED_CACHE_MAX_AGE_SECONDS,
  strongEtag,
} from './http-cache';

const published = Date.UTC(2026, 4, 3, 10, 20, 30, 456);
const validators = { etag: strongEtag(['photo', 'full', 'file-1', 'pub-1', published]), lastModified: published };
const headers = (init: Record<string, string>) => new Headers(init);

describe('Cache-Control of public output', () => {
  it('makes browsers revalidate every use and lets shared caches keep it 60 s at most', () => {
    expect(PUBLIC_REVALIDATE_CACHE_CONTROL).toBe('public, max-age=0, s-maxage=50, must-revalidate');
    expect(SHARED_CACHE_MAX_AGE_SECONDS).toBeLessThanOrEqual(60);
    expect(publicCacheHeaders(validators)).toEqual({
      'Cache-Control': PUBLIC_REVALIDATE_CACHE_CONTROL,
      ETag: validators.etag,
      'Last-Modified': 'Sun, 03 May 2026 10:20:30 GMT',
    });
  });
});

describe('strongEtag', () => {
  it('is a quoted, strong, 22-character tag that changes with any part and reveals none', () => {
    expect(validators.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(strongEtag(['photo', 'full', 'file-1', 'pub-1', published])).toBe(validators.etag);
    for (const changed of [
      ['photo', 'thumb', 'file-1', 'pub-1', published],
      ['photo', 'full', 'file-2', 'pub-1', published],
      ['photo', 'full', 'file-1', 'pub-2', published],
      ['photo', 'full', 'file-1', 'pub-1', published + 1],
    ]) {
      expect(strongEtag(changed)).not.toBe(validators.etag);
    }
    expect(validators.etag).not.toContain('file-1');
  });
});

describe('isNotModified', () => {
  it('matches If-None-Match by weak comparison, in a list, or *', () => {
    expect(isNotModified(headers({ 'if-none-match': validators.etag }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-none-match': `W/${validators.etag}` }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-none-match': `"other", ${validators.etag}` }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-none-match': '*' }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-none-match': '"other"' }), validators)).toBe(false);
    expect(isNotModified(headers({ 'if-none-match': validators.etag.slice(1, -1) }), validators)).toBe(false); // unquoted: not a tag
  });

  it('lets If-None-Match decide alone when both are sent (a republish changes the tag, whatever the date)', () => {
    const future = httpDate(published + 3_600_000);
    expect(isNotModified(headers({ 'if-none-match': '"old-tag"', 'if-modified-since': future }), validators)).toBe(false);
  });

  it('compares If-Modified-Since to the second and ignores an invalid date', () => {
    expect(isNotModified(headers({ 'if-modified-since': httpDate(published) }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-modified-since': httpDate(published + 60_000) }), validators)).toBe(true);
    expect(isNotModified(headers({ 'if-modified-since': httpDate(published - 1_000) }), validators)).toBe(false);
    expect(isNotModified(headers({ 'if-modified-since': 'yesterday' }), validators)).toBe(false);
    expect(isNotModified(headers({}), validators)).toBe(false);
  });

  it('answers 304 with no body and the headers the 200 carries', async () => {
    const response = notModifiedResponse(validators);
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'cache-control': PUBLIC_REVALIDATE_CACHE_CONTROL,
      etag: validators.etag,
      'last-modified': httpDate(published),
    });
  });
});
