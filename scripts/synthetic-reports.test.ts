import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES, type ReportStatus } from '@/db/enums';
import { applyAction, type WorkflowAction } from '@/lib/lifecycle/workflow';
import { prng, statusPlan, synthesizeReport, type RefLists } from './synthetic-reports';

const refs: RefLists = {
  places: [
    { id: 'kp-hyesan', kind: 'city', nameEn: 'Hyesan' },
    { id: 'river-amrok', kind: 'river', nameEn: 'Amrok-gang (Yalu River)' },
  ],
  agencies: [{ id: 'border-guards', nameEn: 'Border guards' }],
  goodsCategories: [{ id: 'electronics', nameEn: 'Electronics' }, { id: 'lumber', nameEn: 'Lumber and timber' }],
  partnerIds: [3, 4, 5],
  editorIds: [2, 6],
};

function reports(n: number, seed: number) {
  const random = prng(seed);
  const plan = statusPlan(n, random);
  const start = Date.UTC(2018, 0, 1);
  return plan.map((status, index) => synthesizeReport({ random, id: index + 1, index, total: n, status, startMs: start, endMs: start + 365 * 86_400_000, refs }));
}

describe('statusPlan', () => {
  it('publishes exactly 20 % and uses every status', () => {
    const plan = statusPlan(1_000, prng(1));
    const count = (s: ReportStatus) => plan.filter((p) => p === s).length;
    expect(plan).toHaveLength(1_000);
    expect(count('published')).toBe(200);
    for (const status of REPORT_STATUSES) expect(count(status), status).toBeGreaterThan(0);
  });
});

describe('synthesizeReport', () => {
  const all = reports(2_000, 7);

  it('is deterministic for a seed', () => {
    expect(reports(50, 3)).toEqual(reports(50, 3));
    expect(reports(50, 3)).not.toEqual(reports(50, 4));
  });

  it('writes one event per transition, each one the workflow allows, ending in the report’s status', () => {
    for (const report of all) {
      let status: ReportStatus = 'draft';
      for (const event of report.events) {
        expect(event.fromStatus).toBe(status);
        const role = event.action === 'submit' ? 'partner' : 'editor';
        const result = applyAction({ status, role, action: event.action as WorkflowAction, isAuthor: role === 'partner' });
        expect(result.ok ? result.next : result.code, `${report.id} ${event.action}`).toBe(event.toStatus);
        status = event.toStatus;
      }
      expect(status).toBe(report.status);
    }
  });

  it('keeps times in order, rows within the product’s limits, and publications only for published or retracted reports', () => {
    for (const r of all) {
      expect(r.observedTo).toBeGreaterThanOrEqual(r.observedFrom);
      expect(r.createdAt).toBeGreaterThan(r.observedTo);
      if (r.submittedAt !== null) expect(r.submittedAt).toBeGreaterThanOrEqual(r.createdAt);
      expect(r.updatedAt).toBeGreaterThanOrEqual(r.submittedAt ?? r.createdAt);
      expect(r.title.length).toBeLessThanOrEqual(120);
      expect(r.vehicles.length).toBeLessThanOrEqual(50);
      for (const v of r.vehicles) expect(Number.isInteger(v.count) && v.count >= 0 && v.count <= 100_000).toBe(true);
      expect(r.publication !== null).toBe(r.status === 'published' || r.status === 'retracted');
      // The app's public id shape (16 base64url characters): any other is 404 on /reports/<id>.
      if (r.publication) expect(r.publication.publicId).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(r.claimedBy !== null).toBe(r.status === 'in_review');
    }
  });
});
