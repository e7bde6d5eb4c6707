import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionAccount } from '@/lib/auth/session';

/** The session as lib/auth/session.ts answers it, per test: who is signed in (or nobody). */
const signedIn: { account: SessionAccount | null } = { account: null };

vi.mock('@/lib/auth/session', () => ({
  requireArea: vi.fn(async (area: string) => {
    const account = signedIn.account;
    if (!account) throw new Error('NEXT_REDIRECT /sign-in');
    const may = area === 'editor' ? ['editor', 'admin'] : [area];
    if (!may.includes(account.role)) throw new Error('NEXT_HTTP_ERROR_FALLBACK;403');
    return account;
  }),
  getAccountWithRole: vi.fn(async (roles: readonly string[]) => (signedIn.account && roles.includes(signedIn.account.role) ? signedIn.account : null)),
}));

const { areaFormAction, areaStateAction, areaValueAction } = await import('./area-action');
const { keptPostOwnerHint } = await import('@/lib/reports/kept-post-owner');

const PARTNER: SessionAccount = { id: 1, codeName: 'river', role: 'partner', locale: 'en' };
const EDITOR: SessionAccount = { id: 2, codeName: 'desk', role: 'editor', locale: 'en' };
const ADMIN: SessionAccount = { id: 3, codeName: 'root', role: 'admin', locale: 'en' };

function form(fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

type State = { ok: boolean; by?: number; note?: string };

/** The owner hint of the partner's pages (every partner call carries it: lib/auth/tab-owner.ts). */
const PARTNER_HINT = keptPostOwnerHint(1);
/** A partner page's form post: its fields and the page's owner hint. */
const partnerForm = (fields: Record<string, string> = {}, hint: string = PARTNER_HINT) => form({ ...fields, _keptOwner: hint });

beforeEach(() => {
  signedIn.account = null;
});

describe('areaStateAction: who calls, may they, then the body', () => {
  it('runs the body with the caller for every role of the area (editors and admins moderate)', async () => {
    const action = areaStateAction<State>('editor', { refused: { ok: false } }, async ({ actor, formData }) => ({ ok: true, by: actor.id, note: String(formData.get('note')) }));
    signedIn.account = EDITOR;
    expect(await action({ ok: false }, form({ note: 'a' }))).toEqual({ ok: true, by: 2, note: 'a' });
    signedIn.account = ADMIN;
    expect(await action({ ok: false }, form({ note: 'b' }))).toEqual({ ok: true, by: 3, note: 'b' });
  });

  it('without signedOut: a signed-out caller is sent to sign-in and another role gets 403, the body never runs', async () => {
    const body = vi.fn(async () => ({ ok: true }));
    const action = areaStateAction<State>('editor', { refused: { ok: false } }, body);
    await expect(action({ ok: false }, form())).rejects.toThrow('NEXT_REDIRECT');
    signedIn.account = PARTNER;
    await expect(action({ ok: false }, form())).rejects.toThrow('403');
    expect(body).not.toHaveBeenCalled();
  });

  it('with signedOut: the caller without an account of the area gets that answer, built from what they posted', async () => {
    const body = vi.fn(async () => ({ ok: true }));
    const action = areaStateAction<State>('partner', { refused: { ok: false }, signedOut: (_previous, formData) => ({ ok: false, note: `kept ${String(formData.get('title'))}` }) }, body);
    expect(await action({ ok: false }, partnerForm({ title: 'trucks' }))).toEqual({ ok: false, note: 'kept trucks' });
    signedIn.account = EDITOR;
    expect(await action({ ok: false }, partnerForm({ title: 'x' }))).toEqual({ ok: false, note: 'kept x' });
    expect(body).not.toHaveBeenCalled();
  });

  it('refuses a call our pages never make before asking who calls', async () => {
    signedIn.account = EDITOR;
    const body = vi.fn(async () => ({ ok: true }));
    const action = areaStateAction<State>('editor', { refused: { ok: false, note: 'refused' } }, body);
    expect(await (action as unknown as (...a: unknown[]) => Promise<State>)('not a state', 'not a form')).toEqual({ ok: false, note: 'refused' });
    expect(body).not.toHaveBeenCalled();
  });
});

describe('areaFormAction and areaValueAction', () => {
  it('a form action runs only for the area and with one FormData', async () => {
    const body = vi.fn(async (_call: { actor: SessionAccount; formData: FormData }) => undefined);
    const action = areaFormAction('partner', body);
    signedIn.account = EDITOR;
    await expect(action(form())).rejects.toThrow('403');
    signedIn.account = PARTNER;
    await action(partnerForm({ caption: 'x' }));
    expect(body).toHaveBeenCalledTimes(1);
    expect(body.mock.calls[0]?.[0]).toMatchObject({ actor: PARTNER });
  });

  it('a form action with signedOut gives that answer (e.g. 403) to a caller without an account of the area, signed out or another role', async () => {
    const body = vi.fn(async (_call: { actor: SessionAccount; formData: FormData }) => undefined);
    const action = areaFormAction('partner', body, {
      signedOut: () => {
        throw new Error('NEXT_HTTP_ERROR_FALLBACK;403');
      },
    });
    await expect(action(form())).rejects.toThrow('403');
    signedIn.account = EDITOR;
    await expect(action(form())).rejects.toThrow('403');
    expect(body).not.toHaveBeenCalled();
    signedIn.account = PARTNER;
    await action(partnerForm());
    expect(body).toHaveBeenCalledTimes(1);
  });

  it('a value action answers signedOut to a caller whose session ended, and runs the body for the area', async () => {
    const action = areaValueAction<State>('partner', { refused: { ok: false, note: 'refused' }, signedOut: { ok: false, note: 'session ended' } }, async ({ actor, value }) => ({ ok: true, by: actor.id, note: JSON.stringify(value) }));
    expect(await action({ title: 'x' })).toEqual({ ok: false, note: 'session ended' });
    signedIn.account = PARTNER;
    // The page's owner hint is taken off before the body sees the value.
    expect(await action({ title: 'x', _keptOwner: PARTNER_HINT })).toEqual({ ok: true, by: 1, note: '{"title":"x"}' });
    expect(await action(form())).toEqual({ ok: false, note: 'refused' });
  });
});

describe("the partner area: a call from a page rendered for another account (a shared phone's stale tab)", () => {
  const OTHER_HINT = keptPostOwnerHint(99);

  it('a form post with another partner\'s hint, or none, is answered like an ended session, told why; the body never runs', async () => {
    const body = vi.fn(async () => ({ ok: true }));
    const reasons: string[] = [];
    const action = areaStateAction<State>(
      'partner',
      {
        refused: { ok: false },
        signedOut: (_previous, formData, reason) => {
          reasons.push(reason);
          return { ok: false, note: `kept ${String(formData.get('title'))}` };
        },
      },
      body,
    );
    signedIn.account = PARTNER;
    expect(await action({ ok: false }, partnerForm({ title: 'trucks' }, OTHER_HINT))).toEqual({ ok: false, note: 'kept trucks' });
    expect(await action({ ok: false }, form({ title: 'no hint' }))).toEqual({ ok: false, note: 'kept no hint' });
    expect(await action({ ok: false }, partnerForm({ title: 'forged' }, 'x'.repeat(43)))).toEqual({ ok: false, note: 'kept forged' });
    expect(body).not.toHaveBeenCalled();
    expect(reasons).toEqual(['otherAccount', 'otherAccount', 'otherAccount']);
    // Signed out is told apart.
    signedIn.account = null;
    await action({ ok: false }, partnerForm({ title: 'x' }));
    expect(reasons.at(-1)).toBe('signedOut');
    // The page's own account: the body runs.
    signedIn.account = PARTNER;
    await action({ ok: false }, partnerForm({ title: 'own' }));
    expect(body).toHaveBeenCalledTimes(1);
  });

  it('a value with another hint, or none, gets signedOut (reason otherAccount) and writes nothing', async () => {
    const body = vi.fn(async () => ({ ok: true }));
    const action = areaValueAction<State>('partner', { refused: { ok: false, note: 'refused' }, signedOut: (_value, reason) => ({ ok: false, note: reason }) }, body);
    signedIn.account = PARTNER;
    expect(await action({ title: 'x', _keptOwner: OTHER_HINT })).toEqual({ ok: false, note: 'otherAccount' });
    expect(await action({ title: 'x' })).toEqual({ ok: false, note: 'otherAccount' });
    expect(await action('a string')).toEqual({ ok: false, note: 'otherAccount' });
    expect(body).not.toHaveBeenCalled();
  });

  it('a form action with another hint gets its signedOut answer (403), or 403 without one', async () => {
    const body = vi.fn(async (_call: { actor: SessionAccount; formData: FormData }) => undefined);
    const forbidden = () => {
      throw new Error('NEXT_HTTP_ERROR_FALLBACK;403');
    };
    signedIn.account = PARTNER;
    await expect(areaFormAction('partner', body, { signedOut: forbidden })(partnerForm({}, OTHER_HINT))).rejects.toThrow('403');
    await expect(areaFormAction('partner', body)(form())).rejects.toThrow(/403|forbidden/);
    expect(body).not.toHaveBeenCalled();
  });

  it('other areas are not bound: an editor action runs without a hint', async () => {
    signedIn.account = EDITOR;
    const action = areaValueAction<State>('editor', { refused: { ok: false } }, async ({ value }) => ({ ok: true, note: JSON.stringify(value) }));
    expect(await action({ _keptOwner: 'kept as it is' })).toEqual({ ok: true, note: '{"_keptOwner":"kept as it is"}' });
  });
});
