/**
 * Authorization cases of the partner's area: a partner reaches their own drafts, reports and
 * photos only; another partner's are "not found", and other roles are refused.
 */
import crypto from 'node:crypto';
import { initialReportFormState } from '../../app/(partner)/partner/reports/_components/form-state';
import { countRows, photoUploadBody, reportFormFields, rowJson, seedReport, uploadPhoto, type SeededReport } from '../security-kit';
import { action, at, form, hex, NOBODY, NOT_FOUND_FOR_ALL, ownAndOthers, PARTNER_AREA, PARTNER_ONLY, reportProbe, type ActionCall, type ActionCase, type PageCase, type RouteCase } from './cases';
import { setupSessions } from './world';

const NOT_THEIRS = { ...PARTNER_AREA, partner: 404 } as const;

export const PAGES: Record<string, PageCase[]> = {
  '/partner': [at("partner's reports", '/partner', PARTNER_AREA)],
  '/partner/reports/new': [at('new report form', '/partner/reports/new', PARTNER_AREA)],
  '/partner/reports/[id]': [
    at('own report', (w) => `/partner/reports/${w.own.submitted.id}`, PARTNER_AREA),
    at("another partner's report", (w) => `/partner/reports/${w.other.submitted.id}`, NOT_THEIRS),
    at("another partner's draft", (w) => `/partner/reports/${w.other.draft.id}`, NOT_THEIRS),
    at('no such report', '/partner/reports/99999999', NOT_THEIRS),
    at('a malformed id', '/partner/reports/1%20OR%201=1', NOT_THEIRS),
  ],
  '/partner/reports/[id]/edit': [
    at('own draft', (w) => `/partner/reports/${w.own.draft.id}/edit`, PARTNER_AREA),
    at('own submitted report (no longer editable: back to its page)', (w) => `/partner/reports/${w.own.submitted.id}/edit`, { ...PARTNER_AREA, partner: { redirect: /^\/partner\/reports\/\d+$/ } }),
    at("another partner's draft", (w) => `/partner/reports/${w.other.draft.id}/edit`, NOT_THEIRS),
  ],
  '/partner/reports/[id]/photos': [
    at("own draft's photos", (w) => `/partner/reports/${w.own.draft.id}/photos`, PARTNER_AREA),
    at("another partner's draft's photos", (w) => `/partner/reports/${w.other.draft.id}/photos`, NOT_THEIRS),
  ],
};

const UPLOAD_REFUSED = { ...PARTNER_AREA, anonymous: { redirect: /^\/sign-in\?callbackUrl=/ } } as const;

export const ROUTES: Record<string, RouteCase[]> = {
  // The partner's service worker: the build's own code, the same for everyone signed in (proxy.ts
  // sends a browser without a session to sign-in, so nothing is installed for the signed-out).
  'GET /partner/serwist/[path]': [
    at('the service worker', '/partner/serwist/sw.js', { anonymous: 'sign-in', partner: 200, editor: 200, admin: 200 }),
    at('an unknown file', '/partner/serwist/other.js', { anonymous: 'sign-in', partner: 404, editor: 404, admin: 404 }),
  ],
  'GET /photos/[photoId]': [
    at("a photo of the partner's own draft (never public; editors see no drafts' photos either)", (w) => `/photos/${w.photos.own}`, { ...NOT_FOUND_FOR_ALL, partner: 200 }),
    at("a photo of another partner's draft", (w) => `/photos/${w.photos.other}`, NOT_FOUND_FOR_ALL),
    at('no such photo', '/photos/99999999', NOT_FOUND_FOR_ALL),
    at('a malformed id', '/photos/..%2F..%2Ffield-reports.db', NOT_FOUND_FOR_ALL),
  ],
  'POST /partner/reports/[id]/photos/upload': [
    at('a photo for own draft', (w) => `/partner/reports/${w.own.draft.id}/photos/upload`, { ...UPLOAD_REFUSED, partner: { redirect: /^\/partner\/reports\/\d+\/photos\?done=uploaded$/ } }, { body: () => photoUploadBody() }),
    at("a photo for another partner's draft", (w) => `/partner/reports/${w.other.draft.id}/photos/upload`, { ...UPLOAD_REFUSED, partner: 404 }, { body: () => photoUploadBody() }),
  ],
};

/** The report form's first state, as the page hands it to useActionState (an empty form). */
function reportFormState(clientId: string) {
  const blank = { observedFrom: '', observedFromChoice: '', observedTo: '', observedToChoice: '', timeNote: '', placeId: '', placeDetail: '', placePrecision: '', title: '', narrative: '', sourceType: '', safetyNote: '' };
  return initialReportFormState({ clientId, timeZone: 'Asia/Pyongyang', ...blank, vehicles: [], goods: [], agencies: [] }, null);
}

/** The form values object autosave sends (ReportFormValues). */
function autosaveValues(clientId: string, title: string) {
  const fields = reportFormFields(clientId, { title });
  const scalars = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.includes('.')));
  return { observedFromChoice: '', observedToChoice: '', ...scalars, vehicles: [], goods: [], agencies: [] };
}

/** A report as the outbox sends it: the form's values with one vehicle row, ready to submit. */
function queuedValues(clientId: string, title: string) {
  const vehicle = { vehicleType: 'truck', count: '40', isEstimate: true, direction: 'into_kp', colours: 'white', cargo: 'electronics' };
  return { ...autosaveValues(clientId, title), vehicles: [vehicle] };
}

/** The report form's post: its first state and the fields (`intent` the pressed button). */
const reportPost = (clientId: string, fields: Record<string, string>) => [reportFormState(clientId), form({ ...reportFormFields(clientId, fields), intent: fields.intent ?? 'submit' })];
const REPLY_STATE = { seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' };
/** The delete form's post (confirmed) of report `id` from `page`, probed by its row. */
const deletePost = (page: string, id: number): ActionCall => ({ page, args: [{ seq: 0, ok: false }, form({ reportId: String(id), confirm: 'yes' })], probe: reportProbe(id) });

export const ACTIONS: Record<string, ActionCase[]> = {
  'app/(partner)/partner/reports/actions.ts#reportFormAction': [
    ...onDraft(['save own draft', "save over another partner's draft (its client id)"], (draft) => reportPost(draft.clientId, { title: `Changed ${hex()}`, intent: 'save' })),
    action('submit a new report', PARTNER_ONLY, () => {
      const clientId = crypto.randomUUID();
      return { page: '/partner/reports/new', args: reportPost(clientId, {}), probe: () => rowJson('reports', 'client_id = ?', clientId) };
    }),
    action('a form that sets status and authorId (fields a partner may not set)', NOBODY, (w) => {
      const clientId = crypto.randomUUID();
      return { page: '/partner/reports/new', args: reportPost(clientId, { status: 'published', authorId: String(w.otherPartner.id) }), probe: () => rowJson('reports', 'client_id = ?', clientId) };
    }),
  ],
  // The outbox (a report submitted offline, sent once the connection is back): the same submit.
  'app/(partner)/partner/reports/actions.ts#sendQueuedReport': [
    action('send a new report from the outbox', PARTNER_ONLY, () => {
      const clientId = crypto.randomUUID();
      return { page: '/partner', args: [queuedValues(clientId, `Queued ${hex()}`)], probe: () => rowJson('reports', 'client_id = ?', clientId) };
    }),
    ...onDraft(['send own draft from the outbox', "send another partner's draft from the outbox (its client id)"], (draft) => [queuedValues(draft.clientId, `Queued ${hex()}`)]),
  ],
  'app/(partner)/partner/reports/actions.ts#autosaveReportDraft': onDraft(['autosave own draft', "autosave over another partner's draft"], (draft) => [autosaveValues(draft.clientId, `Autosaved ${hex()}`)]),
  // A read: nothing changes for anyone; other roles and no session are refused. What it answers
  // about another partner's client id (the same as an unknown one) is lib/reports/fate.test.ts's.
  'app/(partner)/partner/reports/actions.ts#reportFateAction': ownAndOthers(
    ["what became of own report (a read)", "what became of another partner's report (answered as unknown)"],
    (w, _author, whose) => ({ page: '/partner/reports/new', args: [autosaveValues(w[whose].submitted.clientId, `Asked ${hex()}`)], probe: reportProbe(w[whose].submitted.id) }),
  ).map((c) => ({ ...c, expect: { ...PARTNER_ONLY, partner: 'public' } })),
  'app/(partner)/partner/reports/actions.ts#deleteDraftAction': [
    ...ownAndOthers(['delete own draft (confirmed)', "delete another partner's draft"], (w, author, whose) => {
      const draft = seedReport({ authorId: author.id, status: 'draft' });
      return deletePost(`/partner/reports/${whose === 'own' ? draft.id : w.own.draft.id}/edit`, draft.id);
    }),
    action('delete own report once submitted', NOBODY, (w) => deletePost(`/partner/reports/${w.own.submitted.id}`, w.own.submitted.id)),
  ],
  'app/(partner)/partner/reports/actions.ts#postReportReply': ownAndOthers(['reply on own report', "reply on another partner's report"], (w, _author, whose) => {
    const report = w[whose].submitted;
    return { page: `/partner/reports/${w.own.submitted.id}`, args: [REPLY_STATE, form({ reportId: String(report.id), body: `Reply ${hex()}` })], probe: () => countRows('report_messages', 'report_id = ?', report.id) };
  }),
  'app/(partner)/partner/reports/[id]/photos/actions.ts#savePhotoCaptionAction': onPhoto(['caption a photo of own draft', "caption a photo of another partner's draft"], { caption: `Caption ${hex()}` }),
  'app/(partner)/partner/reports/[id]/photos/actions.ts#removePhotoAction': onPhoto(['remove a photo of own draft', "remove a photo of another partner's draft"], {}),
};

/**
 * The report form's post on a fresh draft (`args` made for it): the partner's own, posted from its
 * edit page, or another partner's, posted from the new-report page.
 */
function onDraft(labels: [string, string], args: (draft: SeededReport) => unknown[]): ActionCase[] {
  return ownAndOthers(labels, (w, author, whose) => {
    const draft = seedReport({ authorId: author.id, status: 'draft' });
    return { page: whose === 'own' ? `/partner/reports/${draft.id}/edit` : '/partner/reports/new', args: args(draft), probe: reportProbe(draft.id) };
  });
}

/**
 * A photos-page post on a photo of a fresh draft with one photo: the partner's own (posted from
 * that draft's page) or another partner's (posted from the partner's own draft's page).
 */
function onPhoto(labels: [string, string], fields: Record<string, string>): ActionCase[] {
  return ownAndOthers(labels, async (w, author, whose) => {
    const draft = seedReport({ authorId: author.id, status: 'draft' });
    const photoId = await uploadPhoto(whose === 'own' ? setupSessions.partner : setupSessions.otherPartner, draft.id);
    const on = whose === 'own' ? draft : w.own.draft;
    return { page: `/partner/reports/${on.id}/photos`, args: [form({ reportId: String(on.id), photoId: String(photoId), ...fields })], probe: () => rowJson('photos', 'id = ?', photoId) };
  });
}
