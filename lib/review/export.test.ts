import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvObjects } from '@/lib/testing/csv';
import { createTestAccount, auditRows, type TestAccount } from '@/lib/testing/accounts';
import { insertReviewReport } from '@/lib/testing/reports';
import { exportQueueReports } from './export';
import { EDITOR_EXPORT_COLUMNS, editorExportCsv, editorExportJson } from './export-format';
import { EMPTY_QUEUE_FILTERS, type QueueFilters } from './schema';

let editor: TestAccount;
let partnerA: TestAccount;
let partnerB: TestAccount;
const made: Record<string, number> = {};

beforeAll(() => {
  editor = createTestAccount('editor');
  partnerA = createTestAccount('partner', 'export-partner-a');
  partnerB = createTestAccount('partner', 'export-partner-b');
  made.formula = insertReviewReport({ authorId: partnerA.id, title: '=HYPERLINK("http://evil.example","click")', placeId: 'kp-hyesan', observedFrom: Date.UTC(2019, 2, 1, 16, 30), vehicles: 2 });
  made.plus = insertReviewReport({ authorId: partnerA.id, title: '+1 trucks -2 cars @ night', placeId: 'kp-hyesan', goods: 1 });
  made.other = insertReviewReport({ authorId: partnerB.id, title: '혜산 다리 근처 트럭', placeId: 'kp-musan' });
  made.draft = insertReviewReport({ authorId: partnerA.id, status: 'draft', placeId: 'kp-hyesan' });
});

const filters = (f: Partial<QueueFilters>): QueueFilters => ({ ...EMPTY_QUEUE_FILTERS, ...f });

describe("the editors' export", () => {
  it('holds exactly the reports the queue filter matches, with their private fields and rows', () => {
    const result = exportQueueReports({ actor: editor, filters: filters({ partner: 'export-partner-a' }), format: 'json' });
    if (!result.ok) throw new Error(result.messageKey);
    expect(result.reports.map((r) => r.id).sort((a, b) => a - b)).toEqual([made.formula!, made.plus!].sort((a, b) => a - b));
    const formula = result.reports.find((r) => r.id === made.formula)!;
    expect(formula).toMatchObject({ partnerCodeName: 'export-partner-a', placeDetail: 'near the river', narrative: 'Dozens of trucks crossed after sunset.' });
    expect(formula.vehicles).toHaveLength(2);
    expect(formula.safetyNote).toEqual(expect.any(String));
  });

  it('records who exported, the filter and the count in the audit log', () => {
    exportQueueReports({ actor: editor, filters: filters({ partner: 'export-partner-b', status: 'submitted' }), format: 'csv' });
    const row = auditRows().filter((r) => r.kind === 'reports_exported').at(-1);
    expect(row).toEqual({ kind: 'reports_exported', actorId: editor.id, targetAccountId: null, detail: { format: 'csv', filter: { status: 'submitted', partner: 'export-partner-b' }, count: 1 } });
  });

  it('keeps the search words out of the audit log, noting only that the export was searched', () => {
    exportQueueReports({ actor: editor, filters: filters({ q: 'near the river' }), format: 'json' });
    const row = auditRows().filter((r) => r.kind === 'reports_exported').at(-1);
    expect(row?.detail).toMatchObject({ format: 'json', searched: true });
    expect(JSON.stringify(row)).not.toContain('river');
  });

  it('refuses partners and records nothing', () => {
    const before = auditRows().length;
    expect(exportQueueReports({ actor: partnerA, filters: filters({}), format: 'csv' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(auditRows()).toHaveLength(before);
  });

  it('admins may export too', () => {
    const admin = createTestAccount('admin');
    expect(exportQueueReports({ actor: admin, filters: filters({ partner: 'export-partner-b' }), format: 'json' }).ok).toBe(true);
  });
});

describe('the export as CSV and JSON', () => {
  function exported() {
    const result = exportQueueReports({ actor: editor, filters: filters({ placeId: 'kp-hyesan' }), format: 'csv' });
    if (!result.ok) throw new Error(result.messageKey);
    return result.reports;
  }

  it('CSV: UTF-8 with a byte-order mark, a header, formula-safe text cells, dates beside instants', () => {
    const csv = editorExportCsv(exported());
    expect(csv.startsWith('\uFEFFreport_id,status,')).toBe(true);
    const rows = readCsvObjects(csv.slice(1));
    expect(Object.keys(rows[0]!)).toEqual([...EDITOR_EXPORT_COLUMNS]);
    const formula = rows.find((r) => r.report_id === String(made.formula))!;
    expect(formula.title).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(rows.find((r) => r.report_id === String(made.plus))!.title).toBe("'+1 trucks -2 cars @ night");
    // 16:30 UTC on 1 March is 2 March 01:30 in Pyongyang (UTC+9): the local date is the report's own.
    expect(formula.observed_from).toBe('2019-03-01T16:30:00.000Z');
    expect(formula.observed_from_local_date).toBe('2019-03-02');
    expect(formula.submitted_date_utc).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(formula.vehicle_rows).toBe('2');
    expect(formula.partner_code_name).toBe('export-partner-a');
    expect(formula.place_detail).toBe('near the river');
  });

  it('CSV keeps Hangul as it is', () => {
    const result = exportQueueReports({ actor: editor, filters: filters({ placeId: 'kp-musan' }), format: 'csv' });
    if (!result.ok) throw new Error(result.messageKey);
    expect(editorExportCsv(result.reports)).toContain('혜산 다리 근처 트럭');
  });

  it('JSON: the filter, the count and every report with ISO instants and plain dates', () => {
    const reports = exported();
    const json = JSON.parse(editorExportJson(reports, { filter: { place: 'kp-hyesan' }, exportedAt: Date.UTC(2030, 0, 2) }));
    expect(json).toMatchObject({ exportedAt: '2030-01-02T00:00:00.000Z', filter: { place: 'kp-hyesan' }, count: reports.length });
    const formula = json.reports.find((r: { id: number }) => r.id === made.formula);
    expect(formula).toMatchObject({ title: '=HYPERLINK("http://evil.example","click")', observedFrom: '2019-03-01T16:30:00.000Z', observedFromLocalDate: '2019-03-02' });
    expect(formula.vehicles[0]).toMatchObject({ vehicleType: 'truck', count: 10 });
  });
});
