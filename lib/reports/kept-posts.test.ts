import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { freshDemoReportValues, toReportFormData } from '@/lib/testing/reports';
import { emptyAgencyRow, emptyGoodsRow, emptyVehicleRow } from './form-values';
import { KEPT_OWNER_FIELD, keptFieldsBytes, keptFieldsOf, keptPostKindOf, type KeptField } from './kept-post-fields';

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner'; editor: 'editor' }>;
let kept: typeof import('./kept-posts');
let drafts: typeof import('./drafts');
let submit: typeof import('./submit');
let queries: typeof import('./queries');
let client: typeof import('@/db/client');
const NOW = Date.UTC(2026, 0, 15, 12, 0);

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner', editor: 'editor' });
  kept = await import('./kept-posts');
  drafts = await import('./drafts');
  submit = await import('./submit');
  queries = await import('./queries');
  client = await import('@/db/client');
});

/** The report form's fields as a no-script post sends them (with React's action fields). */
function reportPost(clientId: string, extra: KeptField[] = []): KeptField[] {
  return [
    ['$ACTION_REF_1', ''],
    ['$ACTION_1:0', '{"id":"7f3b","bound":"$@1"}'],
    ['clientId', clientId],
    ['intent', 'add-vehicle'],
    ['title', 'Trucks at the bridge'],
    ['narrative', 'Twelve trucks crossed at dawn.'],
    ['timeZone', 'Asia/Pyongyang'],
    ...extra,
  ];
}

function asForm(fields: KeptField[]): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return form;
}

describe('keptFieldsOf and keptPostKindOf (pure)', () => {
  it("keeps the posted text fields in order, without React's $ACTION_ fields or files", () => {
    const form = asForm(reportPost('c-1'));
    form.append('photo', new Blob(['x']), 'a.jpg');
    form.append(KEPT_OWNER_FIELD, 'x'.repeat(43));
    expect(keptFieldsOf(form).map(([name]) => name), 'nor the owner hint').toEqual(['clientId', 'intent', 'title', 'narrative', 'timeZone']);
    expect(keptPostKindOf(keptFieldsOf(form))).toBe('report');
  });

  it('tells the report form (clientId) and the reply (exactly reportId and body) from everything else', () => {
    expect(keptPostKindOf(keptFieldsOf(asForm(reportPost('c-2'))))).toBe('report');
    expect(keptPostKindOf([['reportId', '4'], ['body', 'hello']])).toBe('reply');
    expect(keptPostKindOf([['reportId', '4'], ['confirm', 'yes']]), 'delete-draft is never carried out behind a sign-in').toBeNull();
    // The no-script photo upload form also posts a `clientId` (the photo's), beside its caption.
    expect(keptPostKindOf([['clientId', randomUUID()], ['caption', 'Night crossing']])).toBeNull();
    expect(keptPostKindOf([['clientId', randomUUID()], ['title', 'x'], ['vehicles.0.cargo', 'coal'], ['caption', 'y']])).toBeNull();
    expect(keptPostKindOf([['clientId', randomUUID()], ['title', 'x'], ['vehicles.0.cargo', 'coal'], ['agencies.2.note', 'z'], ['intent', 'save']])).toBe('report');
    expect(keptPostKindOf([['reportId', '4'], ['body', 'x'], ['isInternal', 'on']])).toBeNull();
    expect(keptPostKindOf([])).toBeNull();
  });

  it('knows the whole report form as the browser posts it, every row section included', () => {
    const demo = freshDemoReportValues(0);
    const values = { ...demo, vehicles: [...demo.vehicles, emptyVehicleRow()], goods: [...demo.goods, emptyGoodsRow()], agencies: [...demo.agencies, emptyAgencyRow()] };
    expect(keptPostKindOf(keptFieldsOf(toReportFormData(values, 'add-vehicle')))).toBe('report');
  });

  it('measures the stored size in UTF-8 bytes (Hangul is 3 bytes a character)', () => {
    expect(keptFieldsBytes([['body', '강']])).toBe(JSON.stringify([['body', '강']]).length + 2);
  });
});

describe('keepPost and claimKeptPost', () => {
  it('saves the kept report values into the same draft (same clientId) for the partner who signs in, once', () => {
    const values = { ...freshDemoReportValues(0), title: 'Before the session ended' };
    const first = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!first.ok) throw new Error(JSON.stringify(first));

    const post = keptFieldsOf(asForm(reportPost(values.clientId, [['safetyNote', 'Do not name the bridge.']])));
    const keep = kept.keepPost({ fields: post, accountId: accounts.partnerA.id, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    expect(keep.kind).toBe('report');
    expect(keep.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only a hash of the token is stored.
    const stored = client.getSqlite().prepare('SELECT token_hash AS h, fields FROM kept_posts').all() as { h: string; fields: string }[];
    expect(stored.some((r) => r.h.includes(keep.token))).toBe(false);

    const claim = kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: NOW + 60_000 });
    expect(claim).toEqual({ outcome: 'saved', reportId: first.reportId, hasProblems: false });
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: first.reportId });
    expect(forEdit?.editable && forEdit.values).toMatchObject({ title: 'Trucks at the bridge', narrative: 'Twelve trucks crossed at dawn.', safetyNote: 'Do not name the bridge.' });
    // Claimed once: the row is gone and a second claim finds nothing.
    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: NOW + 61_000 })).toEqual({ outcome: 'none' });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW + 61_000 })).toBeNull();
  });

  it('keeps values that do not validate yet as typed (a count "about 5")', () => {
    const clientId = randomUUID();
    const post = keptFieldsOf(asForm(reportPost(clientId, [['vehicles.0.vehicleType', 'truck'], ['vehicles.0.count', 'about 5']])));
    const keep = kept.keepPost({ fields: post, accountId: accounts.partnerB.id, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    const claim = kept.claimKeptPost({ actor: accounts.partnerB, token: keep.token, now: NOW });
    expect(claim).toMatchObject({ outcome: 'saved', hasProblems: true });
    if (claim.outcome !== 'saved') return;
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerB, reportId: claim.reportId });
    expect(forEdit?.editable && forEdit.values.vehicles[0]?.count).toBe('about 5');
  });

  it("an unbound post is replayed only once the partner confirms it is theirs; refused (another partner's clientId), it is put back for its owner", () => {
    const values = { ...freshDemoReportValues(0), title: "Partner A's own" };
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const keep = kept.keepPost({ fields: reportPost(values.clientId).slice(2), accountId: null, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    // Whoever signs in next is asked first: nothing is written, the post stays.
    expect(kept.claimKeptPost({ actor: accounts.partnerB, token: keep.token, now: NOW })).toEqual({ outcome: 'confirm', kind: 'report' });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toEqual({ kind: 'report', isBound: false });
    // Partner B says "mine" anyway: the draft is not theirs, nothing is written, and the post is not lost.
    expect(kept.claimKeptPost({ actor: accounts.partnerB, token: keep.token, confirmUnbound: true, now: NOW })).toEqual({
      outcome: 'refused',
      kind: 'report',
      messageKey: 'report.outcome.notFound',
    });
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId });
    expect(forEdit?.editable && forEdit.values.title).toBe("Partner A's own");
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toEqual({ kind: 'report', isBound: false });
    // Its owner confirms: saved into their own draft, once.
    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, confirmUnbound: true, now: NOW })).toEqual({ outcome: 'saved', reportId: saved.reportId, hasProblems: false });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toBeNull();
  });

  it('a post for a report filed meanwhile (submitted from another device) is saved as a new draft under a fresh client id: the text is never dropped', () => {
    const values = freshDemoReportValues(0);
    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const keep = kept.keepPost({ fields: reportPost(values.clientId).slice(2), accountId: accounts.partnerA.id, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    const claim = kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: NOW });
    if (claim.outcome !== 'saved') throw new Error(JSON.stringify(claim));
    expect(claim.reportId).not.toBe(submitted.reportId);
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: claim.reportId });
    expect(forEdit?.editable && forEdit.values).toMatchObject({ title: 'Trucks at the bridge', narrative: 'Twelve trucks crossed at dawn.' });
    expect(forEdit?.editable && forEdit.values.clientId).not.toBe(values.clientId);
    // The filed report is untouched, and the kept row is gone (claimed once).
    expect(queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: submitted.reportId })).toEqual({ editable: false, id: submitted.reportId });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toBeNull();
  });

  it("a refused post bound to its own partner is deleted (it would be refused again): another partner's client id saves nothing", () => {
    const values = freshDemoReportValues(0);
    const other = drafts.saveDraft({ actor: accounts.partnerB, values, now: NOW });
    if (!other.ok) throw new Error(JSON.stringify(other));
    const keep = kept.keepPost({ fields: reportPost(values.clientId).slice(2), accountId: accounts.partnerA.id, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: NOW })).toMatchObject({ outcome: 'refused', kind: 'report' });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toBeNull();
    expect(queries.getMyReportForEdit({ actor: accounts.partnerB, reportId: other.reportId })).toMatchObject({ editable: true, values: { title: values.title } });
  });

  it('a post bound to one account is never claimed by another account or by an editor; it waits for its own partner', () => {
    const clientId = randomUUID();
    const keep = kept.keepPost({ fields: reportPost(clientId).slice(2), accountId: accounts.partnerA.id, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    expect(kept.claimKeptPost({ actor: accounts.partnerB, token: keep.token, now: NOW })).toEqual({ outcome: 'none' });
    expect(kept.claimKeptPost({ actor: accounts.editor, token: keep.token, now: NOW })).toEqual({ outcome: 'none' });
    expect(client.getSqlite().prepare('SELECT count(*) AS n FROM reports WHERE client_id = ?').get(clientId)).toEqual({ n: 0 });
    expect(kept.peekKeptPost({ token: keep.token, now: NOW })).toEqual({ kind: 'report', isBound: true });
    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: NOW })).toMatchObject({ outcome: 'saved' });
  });

  it('an expired post is never claimed, and expired rows are deleted at the next keep', () => {
    const keep = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: null, now: NOW });
    if (!keep.ok) throw new Error(keep.reason);
    const later = NOW + kept.KEPT_POST_TTL_MS;
    expect(kept.peekKeptPost({ token: keep.token, now: later })).toBeNull();
    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: keep.token, now: later })).toEqual({ outcome: 'none' });

    const stale = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: null, now: NOW });
    if (!stale.ok) throw new Error(stale.reason);
    const fresh = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: null, now: later + 1 });
    expect(fresh.ok).toBe(true);
    // Deleted, not only ignored: looked up at a time it was still valid, it is gone.
    expect(kept.peekKeptPost({ token: stale.token, now: NOW })).toBeNull();
    if (fresh.ok) kept.discardKeptPost({ token: fresh.token });
  });

  it('a newer post from the same browser replaces the one it held; an account keeps at most KEPT_POSTS_PER_ACCOUNT', () => {
    const first = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: accounts.partnerB.id, now: NOW });
    if (!first.ok) throw new Error(first.reason);
    const second = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: accounts.partnerB.id, replacing: first.token, now: NOW + 1 });
    if (!second.ok) throw new Error(second.reason);
    expect(kept.peekKeptPost({ token: first.token, now: NOW + 1 })).toBeNull();

    const tokens = [second.token];
    for (let i = 0; i < kept.KEPT_POSTS_PER_ACCOUNT + 2; i += 1) {
      const more = kept.keepPost({ fields: reportPost(randomUUID()).slice(2), accountId: accounts.partnerB.id, now: NOW + 2 + i });
      if (!more.ok) throw new Error(more.reason);
      tokens.push(more.token);
    }
    const live = tokens.filter((token) => kept.peekKeptPost({ token, now: NOW + 100 }) !== null);
    expect(live).toEqual(tokens.slice(-kept.KEPT_POSTS_PER_ACCOUNT));
    for (const token of live) kept.discardKeptPost({ token });
  });

  it('refuses forms that are not kept, posts over the size cap (far lower when unbound), and unbound posts once KEPT_POSTS_UNBOUND_MAX wait', () => {
    expect(kept.keepPost({ fields: [['reportId', '1'], ['confirm', 'yes']], accountId: null, now: NOW })).toEqual({ ok: false, reason: 'notKept' });
    const huge: KeptField[] = [['clientId', randomUUID()], ['title', ''], ['narrative', 'x'.repeat(kept.KEPT_POST_MAX_BYTES)]];
    expect(kept.keepPost({ fields: huge, accountId: accounts.partnerA.id, now: NOW })).toEqual({ ok: false, reason: 'tooLarge' });
    const long: KeptField[] = [['clientId', randomUUID()], ['title', ''], ['narrative', 'x'.repeat(kept.KEPT_POST_UNBOUND_MAX_BYTES)]];
    expect(kept.keepPost({ fields: long, accountId: null, now: NOW })).toEqual({ ok: false, reason: 'tooLarge' });
    const boundLong = kept.keepPost({ fields: long, accountId: accounts.partnerA.id, now: NOW });
    expect(boundLong.ok, 'a bound post keeps the full cap').toBe(true);
    if (boundLong.ok) kept.discardKeptPost({ token: boundLong.token });

    const made: string[] = [];
    const unbound = () => (client.getSqlite().prepare('SELECT count(*) AS n FROM kept_posts WHERE account_id IS NULL').get() as { n: number }).n;
    // From many addresses (one address alone stops at KEPT_POSTS_UNBOUND_PER_CLIENT).
    while (unbound() < kept.KEPT_POSTS_UNBOUND_MAX) {
      const one = kept.keepPost({ fields: [['clientId', randomUUID()], ['title', '']], accountId: null, clientAddress: `198.51.100.${made.length}`, now: NOW });
      if (!one.ok) throw new Error(one.reason);
      made.push(one.token);
    }
    expect(kept.keepPost({ fields: [['clientId', randomUUID()], ['title', '']], accountId: null, clientAddress: '192.0.2.1', now: NOW })).toEqual({ ok: false, reason: 'full' });
    // A post bound to an account (its token still decoded) is still kept.
    const bound = kept.keepPost({ fields: [['clientId', randomUUID()], ['title', '']], accountId: accounts.partnerA.id, now: NOW });
    expect(bound.ok).toBe(true);
    for (const token of made) kept.discardKeptPost({ token });
    if (bound.ok) kept.discardKeptPost({ token: bound.token });
  });

  it('sends a kept reply on the partner’s own submitted report; refuses one on another partner’s report', () => {
    const values = freshDemoReportValues(0);
    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const reply = kept.keepPost({ fields: [['reportId', String(submitted.reportId)], ['body', 'They came back at noon.']], accountId: accounts.partnerA.id, now: NOW });
    if (!reply.ok) throw new Error(reply.reason);
    expect(reply.kind).toBe('reply');

    const stranger = kept.keepPost({ fields: [['reportId', String(submitted.reportId)], ['body', 'Not mine to write.']], accountId: accounts.partnerB.id, now: NOW });
    if (!stranger.ok) throw new Error(stranger.reason);
    expect(kept.claimKeptPost({ actor: accounts.partnerB, token: stranger.token, now: NOW })).toEqual({ outcome: 'refused', kind: 'reply', messageKey: 'messages.errors.notFound' });

    expect(kept.claimKeptPost({ actor: accounts.partnerA, token: reply.token, now: NOW })).toEqual({ outcome: 'sent', reportId: submitted.reportId });
    const bodies = client.getSqlite().prepare('SELECT body FROM report_messages WHERE report_id = ?').all(submitted.reportId) as { body: string }[];
    expect(bodies.map((b) => b.body)).toEqual(['They came back at noon.']);
  });

  it('keeps at most KEPT_POSTS_UNBOUND_PER_CLIENT unbound posts per client address (an IPv6 /64 is one address); a re-post replaces its own', () => {
    const post = (): KeptField[] => [['clientId', randomUUID()], ['title', 'x']];
    const tokens: string[] = [];
    for (let i = 0; i < kept.KEPT_POSTS_UNBOUND_PER_CLIENT; i += 1) {
      const one = kept.keepPost({ fields: post(), accountId: null, clientAddress: `2001:db8:1:2::${i + 1}`, now: NOW });
      if (!one.ok) throw new Error(one.reason);
      tokens.push(one.token);
    }
    expect(kept.keepPost({ fields: post(), accountId: null, clientAddress: '2001:db8:1:2:ffff::9', now: NOW }), 'same /64').toEqual({ ok: false, reason: 'full' });
    // The browser that holds a token replaces its own post, so a partner re-posting is not refused.
    const again = kept.keepPost({ fields: post(), accountId: null, clientAddress: '2001:db8:1:2::1', replacing: tokens[0], now: NOW });
    expect(again.ok).toBe(true);
    // Another address, and any bound post, are not affected.
    const other = kept.keepPost({ fields: post(), accountId: null, clientAddress: '2001:db8:1:3::1', now: NOW });
    expect(other.ok).toBe(true);
    const bound = kept.keepPost({ fields: post(), accountId: accounts.partnerA.id, clientAddress: '2001:db8:1:2::1', now: NOW });
    expect(bound.ok).toBe(true);
    // Only an HMAC of the address is stored.
    const hashes = client.getSqlite().prepare('SELECT client_hash AS h FROM kept_posts WHERE account_id IS NULL').all() as { h: string }[];
    expect(hashes.every((r) => /^[0-9a-f]{64}$/.test(r.h) && !r.h.includes('2001'))).toBe(true);
    // Expired posts no longer count.
    const later = kept.keepPost({ fields: post(), accountId: null, clientAddress: '2001:db8:1:2::1', now: NOW + kept.KEPT_POST_TTL_MS + 1 });
    expect(later.ok).toBe(true);
    for (const r of [again, other, bound, later]) if (r.ok) kept.discardKeptPost({ token: r.token });
    for (const token of tokens) kept.discardKeptPost({ token });
  });

  it('ignores tokens that are not shaped like ours', () => {
    for (const token of [undefined, null, '', 'short', 'x'.repeat(43) + '!', 42]) {
      expect(kept.claimKeptPost({ actor: accounts.partnerA, token, now: NOW })).toEqual({ outcome: 'none' });
      expect(kept.peekKeptPost({ token, now: NOW })).toBeNull();
    }
  });
});
