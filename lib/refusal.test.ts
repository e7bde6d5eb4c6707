import { describe, expect, it } from 'vitest';
import { refuse, refusal, type Outcome } from './refusal';

describe('refuse / refusal: one refusal shape', () => {
  it('builds a refusal with a code, and leaves fieldErrors out unless given', () => {
    expect(refuse('stale', 'review.errors.staleVersion')).toEqual({ ok: false, code: 'stale', messageKey: 'review.errors.staleVersion' });
    expect(Object.keys(refuse('stale', 'k'))).not.toContain('fieldErrors');
    expect(refuse('invalid_input', 'k', { title: ['report.errors.required'] })).toEqual({ ok: false, code: 'invalid_input', messageKey: 'k', fieldErrors: { title: ['report.errors.required'] } });
  });

  it('builds a refusal without a code for rooms that only show the message', () => {
    expect(refusal('accounts.errors.notAllowed')).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
    expect(refusal('k', { codeName: ['x'] })).toEqual({ ok: false, messageKey: 'k', fieldErrors: { codeName: ['x'] } });
  });

  it('narrows on ok and on code', () => {
    const results: Outcome<{ id: number }, 'not_found' | 'stale'>[] = [{ ok: true, id: 7 }, refuse('not_found', 'k')];
    const seen = results.map((r) => (r.ok ? `id ${r.id}` : `refused ${r.code}`));
    expect(seen).toEqual(['id 7', 'refused not_found']);
  });
});
