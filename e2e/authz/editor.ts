/**
 * Authorization cases of the editors' area (editors and admins): the queue, review, edits, links,
 * publishing; partners and anonymous callers are refused, and drafts are "not found" to editors.
 */
import { countRows, freshPartner, reportFormFields, rowJson, seedReport, withDb, type Account, type SeededReport } from '../security-kit';
import { action, at, callerAccount, claimerFor, EDITOR_AREA, EDITORS, form, hex, idOf, NOBODY, reportProbe, type ActionCall, type ActionCase, type ActionExpect, type PageCase, type RouteCase, type World } from './cases';
import { freshAgency, publishForm, publishThroughApp, PUBLISH_STATE, setupSessions, versionOf } from './world';

const NOT_FOUND = { ...EDITOR_AREA, editor: 404, admin: 404 } as const;

export const PAGES: Record<string, PageCase[]> = {
  '/editor': [at('moderation queue', '/editor', EDITOR_AREA)],
  '/editor/bulk': [at('bulk confirmation', '/editor/bulk?action=claim&status=submitted', EDITOR_AREA)],
  '/editor/export/confirm': [at("the page before the editors' export", (w) => `/editor/export/confirm?partner=${w.partner.codeName}`, EDITOR_AREA)],
  '/editor/reports/[id]': [
    at('a submitted report', (w) => `/editor/reports/${w.other.submitted.id}`, EDITOR_AREA),
    at("a partner's own submitted report", (w) => `/editor/reports/${w.own.submitted.id}`, EDITOR_AREA),
    at("a partner's draft (editors never see drafts)", (w) => `/editor/reports/${w.own.draft.id}`, NOT_FOUND),
    at('no such report', '/editor/reports/99999999', NOT_FOUND),
  ],
  '/editor/reports/[id]/edit': [
    at('a submitted report', (w) => `/editor/reports/${w.other.submitted.id}/edit`, EDITOR_AREA),
    at('a draft', (w) => `/editor/reports/${w.other.draft.id}/edit`, NOT_FOUND),
  ],
  '/account/notifications': [at('e-mail notification settings (never for partners)', '/account/notifications', EDITOR_AREA)],
  '/editor/reports/[id]/publish': [
    at('a verified report', (w) => `/editor/reports/${w.verified.id}/publish`, EDITOR_AREA),
    at('a draft', (w) => `/editor/reports/${w.other.draft.id}/publish`, NOT_FOUND),
  ],
};

export const ROUTES: Record<string, RouteCase[]> = {
  'GET /editor/export': [
    at("the queue's reports as CSV (one partner's)", (w) => `/editor/export?format=csv&confirm=yes&partner=${w.partner.codeName}`, EDITOR_AREA),
    at("the queue's reports as JSON", (w) => `/editor/export?format=json&confirm=yes&partner=${w.otherPartner.codeName}`, EDITOR_AREA),
  ],
};

/** The caller's own digest settings row (the editor's for an anonymous caller). */
const notificationsProbe = (w: World, caller: Parameters<typeof callerAccount>[1]) => {
  const id = callerAccount(w, caller)?.id ?? w.editor.id;
  return () => rowJson('notification_settings', 'account_id = ?', id);
};

const STATE = { ok: true, values: {}, attempt: 0 };
/** A post on the review page of `reportId` (version 1: the seeded report's). */
const review = (reportId: number, fields: Record<string, string>) => ({ page: `/editor/reports/${reportId}`, args: [STATE, form({ reportId: String(reportId), version: '1', ...fields })] });

/**
 * A review-page post on a fresh report (the calling partner's unless `ofOther`; `claimed`: in
 * review, claimed by the caller), probed by its row or, for `messages`, its thread's size.
 */
function onReport(label: string, expect: ActionExpect, fields: Record<string, string>, { status = 'submitted', ofOther = false, claimed = false, messages = false } = {}): ActionCase {
  return action(label, expect, (w, caller) => {
    const author = ofOther ? w.otherPartner : w.partner;
    const report = seedReport({ authorId: author.id, status: claimed ? 'in_review' : status, claimedBy: claimed ? claimerFor(w, caller) : null });
    return { ...review(report.id, fields), probe: messages ? () => countRows('report_messages', 'report_id = ?', report.id) : reportProbe(report.id) };
  });
}

/** A fresh report of `author` with `status` (submitted unless said). */
const fresh = (author: Account, status = 'submitted') => seedReport({ authorId: author.id, status });

/** An editors' action on two fresh submitted reports: the partner's (`a`, whose review page posts) and another partner's (`b`). */
function onPair(label: string, call: (w: World, a: SeededReport, b: SeededReport) => ActionCall): ActionCase {
  return action(label, EDITORS, (w) => call(w, fresh(w.partner), fresh(w.otherPartner)));
}

export const ACTIONS: Record<string, ActionCase[]> = {
  'app/(auth)/account/notifications/actions.ts#saveNotificationsAction': [action('turn the e-mail digest on (partners never may)', EDITORS, (w, caller) => {
    const address = `desk-${hex()}@example.org`;
    return { page: '/account/notifications', args: [{ ok: false }, form({ address, intervalHours: '24' })], probe: notificationsProbe(w, caller) };
  })],
  'app/(auth)/account/notifications/actions.ts#turnOffNotificationsAction': [action('turn the e-mail digest off', EDITORS, (w, caller) => {
    const id = callerAccount(w, caller)?.id ?? w.editor.id;
    withDb((db) => db.prepare("INSERT OR REPLACE INTO notification_settings (account_id, address, interval_hours, last_digest_at) VALUES (?, 'seeded@example.org', 24, 0)").run(id));
    return { page: '/account/notifications', args: [{ ok: false }, form({})], probe: notificationsProbe(w, caller), cleanup: () => withDb((db) => db.prepare('DELETE FROM notification_settings WHERE account_id = ?').run(id)) };
  })],
  'app/(editor)/editor/reports/[id]/actions.ts#decideAction': [
    onReport("claim a partner's submitted report (the partner is its author)", EDITORS, { action: 'claim' }),
    onReport('verify a claimed report (grading)', EDITORS, { action: 'verify', sourceReliability: 'B', informationCredibility: '2', note: 'checked' }, { ofOther: true, claimed: true }),
    onReport('claim a draft (editors never see drafts)', NOBODY, { action: 'claim' }, { ofOther: true, status: 'draft' }),
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#assignAction': [
    onReport("take a partner's submitted report (assign it to oneself)", EDITORS, { assignee: 'me' }),
    onReport('assign a claimed report to nobody (a report in review keeps an editor: refused)', NOBODY, { assignee: 'nobody' }, { ofOther: true, claimed: true }),
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#gradeAction': [
    onReport('grade a claimed report without verifying it', EDITORS, { sourceReliability: 'C', informationCredibility: '3', gradeNote: 'one source' }, { ofOther: true, claimed: true }),
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#postToThreadAction': [
    onReport('message to the partner', EDITORS, { kind: 'message', body: `Question ${hex()}` }, { messages: true }),
    onReport('internal note', EDITORS, { kind: 'note', body: `Note ${hex()}` }, { messages: true }),
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#linkAction': [
    onPair('link two reports', (w, a, b) => ({ ...review(a.id, { otherReportId: String(b.id), kind: 'corroborates' }), probe: () => countRows('report_links', 'report_id = ? OR other_report_id = ?', a.id, a.id) })),
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#unlinkAction': [onPair('remove a link', (w, a, b) => {
    const linkId = idOf("INSERT INTO report_links (report_id, other_report_id, kind, created_by) VALUES (?, ?, 'corroborates', ?) RETURNING id", a.id, b.id, w.editor.id);
    return { ...review(a.id, { linkId: String(linkId) }), probe: () => countRows('report_links', 'id = ?', linkId) };
  })],
  'app/(editor)/editor/reports/[id]/actions.ts#editAction': [action("correct a partner's report", EDITORS, (w, caller) => {
    const report = seedReport({ authorId: w.partner.id, status: 'in_review', claimedBy: claimerFor(w, caller) });
    const fields = { reportId: String(report.id), version: '1', ...reportFormFields(report.clientId, { title: `Corrected ${hex()}` }), intent: 'save' };
    return { page: `/editor/reports/${report.id}/edit`, args: [{ ok: true, attempt: 0, values: {} }, form(fields)], probe: reportProbe(report.id) };
  })],
  'app/(editor)/editor/actions.ts#bulkSelectedAction': [action('claim ticked rows', EDITORS, (w) => {
    const report = fresh(w.partner);
    return { page: '/editor', args: [STATE, form({ reports: [`${report.id}:1`], action: 'claim' })], probe: reportProbe(report.id) };
  })],
  'app/(editor)/editor/actions.ts#bulkFilteredAction': [action("claim every report a filter matched (one partner's reports)", EDITORS, async () => {
    const author = await freshPartner('authz-bulk');
    const report = fresh(author);
    const maxId = idOf('SELECT max(id) AS id FROM reports');
    const fields = { action: 'claim', status: 'submitted', partner: author.codeName, maxId: String(maxId), asOf: String(Date.now() + 1000) };
    return { page: '/editor/bulk', args: [STATE, form(fields)], probe: reportProbe(report.id) };
  })],
  'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction': [action('publish a verified report', EDITORS, (w) => {
    const report = fresh(w.otherPartner, 'verified');
    const probe = () => rowJson('publications', 'report_id = ?', report.id) + rowJson('reports', 'id = ?', report.id);
    return { page: `/editor/reports/${report.id}/publish`, args: [PUBLISH_STATE, publishForm(report)], probe };
  })],
  'app/(editor)/editor/reports/[id]/publish/actions.ts#retractFormAction': [action('retract a published report', EDITORS, async (w) => {
    const report = fresh(w.otherPartner, 'verified');
    await publishThroughApp(report, setupSessions.editor);
    const fields = { reportId: String(report.id), version: String(versionOf(report.id)), reason: 'Could not be confirmed.', confirm: 'yes' };
    return { page: `/editor/reports/${report.id}/publish`, args: [{ message: null, fieldErrors: {}, reason: '' }, form(fields)], probe: () => rowJson('publications', 'report_id = ?', report.id) };
  })],
  'app/(editor)/editor/_components/map-other-agency/action.ts#mapOtherAgencyAction': [action("map a partner's other agency to a list entry", EDITORS, (w) => {
    const report = fresh(w.partner);
    const agencyId = freshAgency();
    const rowId = idOf("INSERT INTO report_agencies (report_id, position, agency_id, other_name, role, note) VALUES (?, 0, NULL, 'Unknown Co', 'operator', '') RETURNING id", report.id);
    return { page: `/editor/reports/${report.id}`, args: [{ ok: false }, form({ reportAgencyRowId: String(rowId), agencyId })], probe: () => rowJson('report_agencies', 'id = ?', rowId) };
  })],
};
