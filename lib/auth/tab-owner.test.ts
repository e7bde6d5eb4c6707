import { describe, expect, it } from 'vitest';
import { keptPostOwnerHint } from '@/lib/reports/kept-post-owner';
import { withOwnerHint } from '@/lib/reports/owner-hint';
import { isCallOfAccount, ownerHintOfForm, takeOwnerHint } from './tab-owner';

describe('binding a call to the account its page was rendered for (a shared phone)', () => {
  it("accepts the account's own hint only: not another account's, a forged, malformed or missing one", () => {
    const hint = keptPostOwnerHint(7);
    expect(isCallOfAccount({ accountId: 7, hint })).toBe(true);
    expect(isCallOfAccount({ accountId: 8, hint })).toBe(false);
    expect(isCallOfAccount({ accountId: 7, hint: keptPostOwnerHint(8) })).toBe(false);
    const altered = (hint[0] === 'A' ? 'B' : 'A') + hint.slice(1);
    expect(isCallOfAccount({ accountId: 7, hint: altered })).toBe(false);
    for (const bad of [null, undefined, '', 7, hint.slice(1), `${hint}=`, { hint }]) expect(isCallOfAccount({ accountId: 7, hint: bad })).toBe(false);
  });

  it('reads the hint from a form post, and takes it off a scripted value before the data layer sees it', () => {
    const hint = keptPostOwnerHint(7);
    const form = new FormData();
    form.append('title', 'trucks');
    expect(ownerHintOfForm(form)).toBeNull();
    form.append('_keptOwner', hint);
    expect(ownerHintOfForm(form)).toBe(hint);

    const values = { clientId: 'c', title: 'trucks' };
    const sent = withOwnerHint(values, hint);
    expect(sent).toEqual({ ...values, _keptOwner: hint });
    expect(takeOwnerHint(sent)).toEqual({ hint, value: values });
    // Without a hint, or not an object: passed on as it is, with no hint.
    expect(takeOwnerHint(values)).toEqual({ hint: null, value: values });
    expect(takeOwnerHint('text')).toEqual({ hint: null, value: 'text' });
    expect(takeOwnerHint([1])).toEqual({ hint: null, value: [1] });
    expect(withOwnerHint(values, null)).toBe(values);
  });
});
