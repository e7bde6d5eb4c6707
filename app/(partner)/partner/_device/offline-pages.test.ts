import { describe, expect, it } from 'vitest';
import { keptPageVerdict } from './offline-pages';

const ENDS = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('keptPageVerdict (docs/security/device-copies.md "When the session ends")', () => {
  it('serves a kept page within its session while the session mark names that session', () => {
    expect(keptPageVerdict({ now: ENDS - 60_000, sessionEndsAt: ENDS, mark: String(ENDS) })).toBe('serve');
  });

  it('wipes at and after the session end, whatever the mark says', () => {
    expect(keptPageVerdict({ now: ENDS, sessionEndsAt: ENDS, mark: String(ENDS) })).toBe('wipe');
    expect(keptPageVerdict({ now: ENDS + 1, sessionEndsAt: ENDS, mark: undefined })).toBe('wipe');
  });

  it('wipes when the session mark cookie is gone (cookies cleared, the session lapsed)', () => {
    expect(keptPageVerdict({ now: ENDS - 60_000, sessionEndsAt: ENDS, mark: null })).toBe('wipe');
  });

  it('refuses (keeps) when the mark names another, newer session', () => {
    expect(keptPageVerdict({ now: ENDS - 60_000, sessionEndsAt: ENDS, mark: String(ENDS + 3_600_000) })).toBe('refuse');
  });

  it('wipes a page kept before pages carried their session end', () => {
    expect(keptPageVerdict({ now: ENDS - 60_000, sessionEndsAt: undefined, mark: String(ENDS) })).toBe('wipe');
  });

  it('decides by the end alone where the worker cannot read cookies', () => {
    expect(keptPageVerdict({ now: ENDS - 60_000, sessionEndsAt: ENDS, mark: undefined })).toBe('serve');
  });
});
