import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { freshDemoReportValues } from '@/lib/testing/reports';
import { emptyAgencyRow, emptyVehicleRow, layoutReportRows } from './form-values';

type Modules = {
  fate: typeof import('./fate');
  submit: typeof import('./submit');
  drafts: typeof import('./drafts');
  client: typeof import('@/db/client');
};

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner'; editor: 'editor' }>;
let m: Modules;
const NOW = Date.UTC(2026, 0, 15, 12, 0);

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner', editor: 'editor' });
  m = { fate: await import('./fate'), submit: await import('./submit'), drafts: await import('./drafts'), client: await import('@/db/client') };
});

describe('whatBecameOfReport', () => {
  it('says a submitted report was submitted, and whether the text asked about is what was filed', () => {
    const values = freshDemoReportValues();
    const submitted = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error('setup');
    const filed = { reportId: submitted.reportId, status: 'submitted', at: NOW, submittedAt: NOW };

    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values, now: NOW })).toEqual({
      found: true,
      isEditable: false,
      filed,
      matchesFiled: true,
    });
    // A row added on the page but never filled in is not part of the report (as on Submit).
    const withEmptyRow = { ...values, vehicles: [...values.vehicles, emptyVehicleRow()] };
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values: withEmptyRow, now: NOW })).toMatchObject({ matchesFiled: true });
    // The form as laid out (agency checklist, spare rows), with a role left on an agency line that
    // was ticked and unticked again: Submit leaves such a line out, so the text is still the same.
    const laidOut = layoutReportRows(values, ['agency-not-ticked', ...values.agencies.map((row) => row.agencyId)]);
    laidOut.agencies[0] = { ...emptyAgencyRow(), role: values.agencies[0]?.role ?? 'operator', note: 'changed my mind' };
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values: laidOut, now: NOW })).toMatchObject({ matchesFiled: true });
    // A time zone left to follow the place is the place's (as Submit makes it).
    expect(values.timeZone).toBe('Asia/Pyongyang');
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values: { ...values, timeZone: '' }, now: NOW })).toMatchObject({ matchesFiled: true });
    const changed = { ...values, narrative: 'Something else entirely.' };
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values: changed, now: NOW })).toEqual({
      found: true,
      isEditable: false,
      filed,
      matchesFiled: false,
    });
    // Upper-case client id (the schema's reading), no values: found, not compared.
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId.toUpperCase(), now: NOW })).toMatchObject({ found: true, matchesFiled: false });
  });

  it('says a draft is still a draft (the Submit was not received)', () => {
    const values = freshDemoReportValues();
    const saved = m.drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error('setup');
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values, now: NOW })).toEqual({
      found: true,
      isEditable: true,
      reportId: saved.reportId,
      status: 'draft',
    });
  });

  it("answers another partner's client id exactly as an unknown one, and editors and malformed ids likewise", () => {
    const values = freshDemoReportValues();
    const theirs = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!theirs.ok) throw new Error('setup');
    const unknown = freshDemoReportValues();
    const asked = (actor: typeof accounts.partnerA | typeof accounts.editor, clientId: unknown) => m.fate.whatBecameOfReport({ actor, clientId, values, now: NOW });
    expect(asked(accounts.partnerB, values.clientId)).toEqual({ found: false });
    expect(asked(accounts.partnerB, unknown.clientId)).toEqual({ found: false });
    expect(asked(accounts.editor, values.clientId)).toEqual({ found: false });
    expect(asked(accounts.partnerA, 'not-a-uuid')).toEqual({ found: false });
    expect(asked(accounts.partnerA, { clientId: values.clientId })).toEqual({ found: false });
  });

  it('answers a deleted draft as unknown', async () => {
    const values = freshDemoReportValues();
    const saved = m.drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error('setup');
    expect(await m.drafts.deleteDraft({ actor: accounts.partnerA, reportId: saved.reportId })).toEqual({ ok: true });
    expect(m.fate.whatBecameOfReport({ actor: accounts.partnerA, clientId: values.clientId, values, now: NOW })).toEqual({ found: false });
  });
});
