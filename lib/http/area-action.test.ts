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

const PARTNER: SessionAccount = { id: 1, codeName: 'river', role: 'partner', locale: 'en' };
const EDITOR: SessionAccount = { id: 2, codeName: 'desk', role: 'editor', locale: 'en' };
const ADMIN: SessionAccount = { id: 3, codeName: 'root', role: 'admin', locale: 'en' };

function form(fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

type State = { ok: boolean; by?: number; note?: string };

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
    expect(await action({ ok: false }, form({ title: 'trucks' }))).toEqual({ ok: false, note: 'kept trucks' });
    signedIn.account = EDITOR;
    expect(await action({ ok: false }, form({ title: 'x' }))).toEqual({ ok: false, note: 'kept x' });
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
    await action(form({ caption: 'x' }));
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
    await action(form());
    expect(body).toHaveBeenCalledTimes(1);
  });

  it('a value action answers signedOut to a caller whose session ended, and runs the body for the area', async () => {
    const action = areaValueAction<State>('partner', { refused: { ok: false, note: 'refused' }, signedOut: { ok: false, note: 'session ended' } }, async ({ actor, value }) => ({ ok: true, by: actor.id, note: JSON.stringify(value) }));
    expect(await action({ title: 'x' })).toEqual({ ok: false, note: 'session ended' });
    signedIn.account = PARTNER;
    expect(await action({ title: 'x' })).toEqual({ ok: true, by: 1, note: '{"title":"x"}' });
    expect(await action(form())).toEqual({ ok: false, note: 'refused' });
  });
});
