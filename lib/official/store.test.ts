import { beforeAll, describe, expect, it } from 'vitest';
import { auditRows, insertTestAccount } from '@/lib/testing/accounts';

let store: typeof import('./store');
let publicSeries: typeof import('./public');
let sqlite: import('better-sqlite3').Database;
let admin: { id: number; role: 'admin' };
let otherAdmin: { id: number; role: 'admin' };
let editor: { id: number; role: 'editor' };

beforeAll(async () => {
  store = await import('./store');
  publicSeries = await import('./public');
  sqlite = (await import('@/db/client')).getSqlite();
  admin = { id: (await insertTestAccount({ role: 'admin' })).id, role: 'admin' };
  otherAdmin = { id: (await insertTestAccount({ role: 'admin' })).id, role: 'admin' };
  editor = { id: (await insertTestAccount({ role: 'editor' })).id, role: 'editor' };
});

const HEADER = 'month,authority,flow,value,unit,yoy_change_pct,source_name,source_url';
const NOW = new Date('2026-12-07T08:00:00Z');
const file = (lines: string[], name = 'figures.csv') => {
  const bytes = new TextEncoder().encode([HEADER, ...lines].join('\r\n'));
  return { name, size: bytes.byteLength, bytes: async () => bytes };
};
const line = (month: string, flow: string, value: string, yoy = '', source = 'GACC monthly report') => `${month},cn_customs,${flow},${value},usd_million,${yoy},${source},https://example.org/${month}`;

/** Upload, preview and confirm a file as `actor`; the preview. */
async function importLines(lines: string[], actor = admin) {
  const uploaded = await store.uploadOfficialFile({ actor, file: file(lines), now: NOW });
  if (!uploaded.ok) throw new Error(`upload refused: ${uploaded.messageKey}`);
  const shown = store.getOfficialPreview({ actor, importId: uploaded.importId, now: NOW });
  if (!shown.ok) throw new Error(`preview refused: ${shown.messageKey}`);
  const stored = store.confirmOfficialImport({ actor, importId: uploaded.importId, basis: shown.preview.basis, now: NOW });
  if (!stored.ok) throw new Error(`confirm refused: ${stored.messageKey}`);
  return { preview: shown.preview, stored };
}

const monthOf = (month: string) => {
  const listed = store.listOfficialMonths({ actor: admin });
  if (!listed.ok) throw new Error('refused');
  return listed.months.find((m) => m.month === month);
};
const count = (sql: string, ...params: unknown[]) => (sqlite.prepare(sql).get(...params) as { n: number }).n;

describe('upload, preview, confirm', () => {
  it('a refused file stores nothing and says every problem', async () => {
    const before = count('SELECT count(*) AS n FROM official_trade_imports');
    const refused = await store.uploadOfficialFile({ actor: admin, file: file(['2019-01,cn_customs,to_mars,1,usd,,GACC,', '2019-01,cn_customs,total,lots,usd,,GACC,']), now: NOW });
    expect(refused).toMatchObject({ ok: false, messageKey: 'official.errors.fileRefused', problemCount: 2 });
    expect((refused as { problems: string[] }).problems[0]).toContain('“to_mars” is not a known flow');
    expect(count('SELECT count(*) AS n FROM official_trade_imports')).toBe(before);
  });

  it('a file over 1 MiB is refused from its size without being read', async () => {
    let wasRead = false;
    const big = { name: 'big.csv', size: 10 * 1000 * 1000, bytes: async () => ((wasRead = true), new Uint8Array()) };
    const refused = await store.uploadOfficialFile({ actor: admin, file: big, now: NOW });
    expect(refused).toMatchObject({ ok: false, problems: [expect.stringMatching(/^The file is 10,000,000 bytes; the limit is 1,048,576 bytes/)] });
    expect(wasRead).toBe(false);
  });

  it('previews exactly what will be stored, then stores it with an audit event', async () => {
    const { preview, stored } = await importLines([line('2019-01', 'exports_from_kp_to_cn', '10.5'), line('2019-01', 'imports_to_kp_from_cn', '200.25'), line('2019-01', 'total', '210.75')]);
    expect(preview.rows.map((r) => [r.flow, r.value, r.change])).toEqual([
      ['exports_from_kp_to_cn', '10.5', 'new'],
      ['imports_to_kp_from_cn', '200.25', 'new'],
      ['total', '210.75', 'new'],
    ]);
    expect(preview.months).toMatchObject([{ month: '2019-01', isConsistent: true, isInFile: true }]);
    expect(stored).toEqual({ ok: true, added: 3, replaced: 0, unchanged: 0, flaggedMonths: [] });
    expect(monthOf('2019-01')).toMatchObject({ status: 'consistent', figures: [{ value: '10.5', revision: 1 }, { value: '200.25' }, { value: '210.75' }] });
    expect(auditRows().at(-1)).toMatchObject({ kind: 'official_trade_imported', actorId: admin.id, detail: { added: 3, months: ['cn_customs 2019-01'], flaggedMonths: [] } });
  });

  it('re-importing a month replaces its figures and keeps the old ones as revisions', async () => {
    await importLines([line('2019-02', 'exports_from_kp_to_cn', '10'), line('2019-02', 'imports_to_kp_from_cn', '20'), line('2019-02', 'total', '40')]);
    expect(monthOf('2019-02')?.status).toBe('flagged');
    const { preview, stored } = await importLines([line('2019-02', 'exports_from_kp_to_cn', '10'), line('2019-02', 'total', '30')]);
    expect(preview.rows.map((r) => r.change)).toEqual(['unchanged', 'replaces']);
    expect(preview.rows[1]!.previous).toMatchObject({ value: '40', revision: 1 });
    expect(stored).toMatchObject({ added: 0, replaced: 1, unchanged: 1, flaggedMonths: [] });
    expect(monthOf('2019-02')).toMatchObject({ status: 'consistent' });
    expect(monthOf('2019-02')!.figures.find((f) => f.flow === 'total')).toMatchObject({ value: '30', revision: 2 });
    const revisions = sqlite.prepare("SELECT value, revision, replaced_at IS NOT NULL AS replaced FROM official_trade_figures WHERE month = '2019-02' AND flow = 'total' ORDER BY revision").all();
    expect(revisions).toEqual([
      { value: '40', revision: 1, replaced: 1 },
      { value: '30', revision: 2, replaced: 0 },
    ]);
  });

  it('a confirm after the store changed is refused and stores nothing', async () => {
    const first = await store.uploadOfficialFile({ actor: admin, file: file([line('2019-03', 'total', '5')]), now: NOW });
    const shown = store.getOfficialPreview({ actor: admin, importId: first.ok ? first.importId : 0, now: NOW });
    await importLines([line('2019-04', 'total', '6')]);
    const refused = store.confirmOfficialImport({ actor: admin, importId: first.ok ? first.importId : 0, basis: shown.ok ? shown.preview.basis : '', now: NOW });
    expect(refused).toEqual({ ok: false, code: 'stale', messageKey: 'official.errors.stale' });
    expect(monthOf('2019-03')).toBeUndefined();
  });

  it('a pending import belongs to its admin, expires, and is stored once', async () => {
    const uploaded = await store.uploadOfficialFile({ actor: admin, file: file([line('2019-05', 'total', '5')]), now: NOW });
    const importId = uploaded.ok ? uploaded.importId : 0;
    expect(store.getOfficialPreview({ actor: otherAdmin, importId, now: NOW })).toMatchObject({ ok: false, code: 'not_found' });
    expect(store.getOfficialPreview({ actor: editor, importId, now: NOW })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
    const later = new Date(NOW.getTime() + 31 * 60 * 1000);
    const shown = store.getOfficialPreview({ actor: admin, importId, now: NOW });
    expect(store.confirmOfficialImport({ actor: admin, importId, basis: shown.ok ? shown.preview.basis : '', now: later })).toMatchObject({ ok: false, code: 'expired' });
    expect(store.confirmOfficialImport({ actor: admin, importId, basis: shown.ok ? shown.preview.basis : '', now: NOW })).toMatchObject({ ok: true, added: 1 });
    expect(store.confirmOfficialImport({ actor: admin, importId, basis: shown.ok ? shown.preview.basis : '', now: NOW })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('an editor cannot upload', async () => {
    expect(await store.uploadOfficialFile({ actor: editor, file: file([line('2019-06', 'total', '5')]), now: NOW })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
  });
});

describe('flagged months, confirmations and the public series', () => {
  it('a flagged month is stored but left out of the public series until confirmed with a note (audited)', async () => {
    await importLines([line('2020-06', 'exports_from_kp_to_cn', '12.955', '-92.0'), line('2020-06', 'imports_to_kp_from_cn', '241.93', '-37.5'), line('2020-06', 'total', '217.158', '-55.5')]);
    const flagged = monthOf('2020-06')!;
    expect(flagged.status).toBe('flagged');
    expect(flagged.checks.filter((c) => c.status === 'inconsistent').map((c) => c.text)).toEqual([
      'Total ≠ sum of parts: the total is 217.158 but the parts add up to 254.885 (difference -37.727; rounding explains at most ±0.006).',
      'A part is larger than its total: imports from China 241.93 > total 217.158 (rounding explains at most 0.0055).',
    ]);
    expect(publicSeries.getPublicOfficialSeries().months.map((m) => m.month)).not.toContain('2020-06');
    expect(publicSeries.getPublicOfficialSeries().leftOut).toBeGreaterThanOrEqual(1);

    expect(store.confirmOfficialMonth({ actor: admin, authority: 'cn_customs', month: '2020-06', basis: flagged.basis, note: '  ' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(store.confirmOfficialMonth({ actor: admin, authority: 'cn_customs', month: '2020-06', basis: 'old', note: 'As quoted.' })).toMatchObject({ ok: false, code: 'stale' });
    expect(store.confirmOfficialMonth({ actor: editor, authority: 'cn_customs', month: '2020-06', basis: flagged.basis, note: 'As quoted.' })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
    expect(store.confirmOfficialMonth({ actor: admin, authority: 'cn_customs', month: '2020-06', basis: flagged.basis, note: 'Figures exactly as quoted by the source.' })).toEqual({ ok: true });
    expect(monthOf('2020-06')).toMatchObject({ status: 'confirmed', confirmation: { note: 'Figures exactly as quoted by the source.' } });
    expect(auditRows().at(-1)).toMatchObject({ kind: 'official_trade_month_confirmed', actorId: admin.id, detail: { authority: 'cn_customs', month: '2020-06', failedChecks: 2 } });
    const charted = publicSeries.getPublicOfficialSeries().months.find((m) => m.month === '2020-06');
    expect(charted).toMatchObject({ status: 'confirmed', note: 'Figures exactly as quoted by the source.' });
    expect(charted!.figures.total).toMatchObject({ value: '217.158', millions: 217.158, sourceName: 'GACC monthly report' });
  });

  it('a confirmation lapses when a figure it saw is replaced; a consistent month needs none', async () => {
    await importLines([line('2020-06', 'total', '217.159', '-55.5')]);
    expect(monthOf('2020-06')?.status).toBe('flagged');
    await importLines([line('2020-06', 'total', '254.885', '-55.5')]);
    const fixed = monthOf('2020-06')!;
    expect(fixed.status).toBe('consistent');
    expect(store.confirmOfficialMonth({ actor: admin, authority: 'cn_customs', month: '2020-06', basis: fixed.basis, note: 'x' })).toMatchObject({ ok: false, code: 'consistent' });
  });

  it('a re-import of last year’s figure re-checks this year’s stated change', async () => {
    await importLines([line('2021-06', 'exports_from_kp_to_cn', '6.4775', '-50')]);
    expect(monthOf('2021-06')?.status).toBe('consistent');
    expect(monthOf('2021-06')?.checks.find((c) => c.text.startsWith('Year on year'))?.text).toBe('Year on year (exports to China): stated -50 %, computed -50.00 % from 2020-06 (12.955).');
    const { preview } = await importLines([line('2020-06', 'exports_from_kp_to_cn', '20', '', 'GACC revised')]);
    expect(preview.months.map((m) => [m.month, m.isInFile, m.isConsistent])).toEqual([
      ['2020-06', true, false],
      ['2021-06', false, false],
    ]);
    expect(monthOf('2021-06')?.status).toBe('flagged');
  });
});
