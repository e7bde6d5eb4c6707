/**
 * Database schema for Field Reports (SQLite through drizzle-orm).
 *
 * Conventions (../docs/style.md habit 6): plural snake_case tables, camelCase keys, enums declared once
 * here and shared with zod, indexes beside each table. Instants are stored as UTC milliseconds
 * (`timestamp_ms`); a report's IANA time zone is stored beside its instants so it can be shown
 * back in the zone it was entered in.
 */
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  primaryKey,
} from 'drizzle-orm/sqlite-core';

export * from './enums';
import {
  ACCOUNT_STATUSES,
  AGENCY_KINDS,
  AGENCY_ROLES,
  CURRENCIES,
  DIRECTIONS,
  INFORMATION_CREDIBILITIES,
  LINK_KINDS,
  LOCALES,
  PLACE_KINDS,
  PLACE_PRECISIONS,
  PUBLICATION_STATUSES,
  REPORT_STATUSES,
  ROLES,
  SOURCE_RELIABILITIES,
  SOURCE_TYPES,
  TIME_ZONES,
  VEHICLE_TYPES,
} from './enums';

const now = sql`(unixepoch('subsec') * 1000)`;
const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now);

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A code name, never a legal name. Unique case-insensitively (the index uses NOCASE). */
    codeName: text('code_name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('active'),
    /** Argon2id PHC string; null until an invited person sets a password. */
    passwordHash: text('password_hash'),
    /** Bumped on deactivation, role, password or 2FA change: every older JWT stops working. */
    sessionVersion: integer('session_version').notNull().default(1),
    locale: text('locale', { enum: LOCALES }).notNull().default('en'),
    /**
     * Whether the account's language was chosen (the language switch, or a language chosen in the
     * browser before signing in). False: never chosen, and `locale` follows the browser's
     * `Accept-Language` at each sign-in (lib/i18n/session-locale.ts; lib/i18n/README.md).
     */
    localeChosen: integer('locale_chosen', { mode: 'boolean' }).notNull().default(false),
    /** Base32 TOTP secret (null = no 2FA enrolled). */
    totpSecret: text('totp_secret'),
    /** Last accepted TOTP time step, so each code is accepted once. */
    totpLastStep: integer('totp_last_step'),
    /** Demo accounts are exempt from required 2FA only while the app runs in demo mode. */
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    lastSignInAt: integer('last_sign_in_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('accounts_code_name_nocase').on(sql`${t.codeName} COLLATE NOCASE`)],
);
export type Account = typeof accounts.$inferSelect;

export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_account').on(t.accountId)],
);

/**
 * Drafts their partner deleted, by client id: a save or submit that still carries the id (an
 * autosave that was on its way, a second tab, a resent no-script form) is refused as "not found"
 * instead of bringing the draft back. Only the id, its author and when: nothing of the draft.
 */
export const deletedDrafts = sqliteTable('deleted_drafts', {
  clientId: text('client_id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => accounts.id),
  deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/**
 * Sessions ended by signing out, by the session id (`sid`) inside their token. A token carries no
 * server state, so without this row a copy of a signed-out token (another device, a stolen cookie)
 * would keep working until it expires. A row is needed only until the token's own expiry
 * (`expires_at`); older rows are deleted when the next sign-out is written.
 */
export const endedSessions = sqliteTable(
  'ended_sessions',
  {
    sessionId: text('session_id').primaryKey(),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }).notNull().default(now),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('ended_sessions_expires_at').on(t.expiresAt)],
);

/**
 * A no-script form post that reached a partner page after its session had ended (lib/reports/
 * kept-posts.ts; docs/decisions/0009-posts-kept-across-sign-in.md): the posted text fields, kept
 * until the partner signs in again (then saved into their draft, or sent as their reply, and the
 * row deleted) or for 30 minutes at most. Only a SHA-256 of the random token in the browser's
 * cookie is kept. `account_id`: the ended session's account when its token still decoded (only
 * that account may claim it); null when the browser sent no usable token.
 */
export const keptPosts = sqliteTable(
  'kept_posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull().unique(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['report', 'reply'] }).notNull(),
    /** JSON: the posted text fields as [name, value] pairs, in the order posted. */
    fields: text('fields', { mode: 'json' }).$type<[string, string][]>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** HMAC of the sending client's throttle bucket (lib/http/client-address.ts), for unbound posts only: the per-address quota. */
    clientHash: text('client_hash'),
  },
  (t) => [index('kept_posts_expires_at').on(t.expiresAt), index('kept_posts_account_id').on(t.accountId), index('kept_posts_client_hash').on(t.clientHash)],
);

/**
 * An editor's or admin's e-mail digest (issue 19 item 13; lib/notifications/digest.ts): a row
 * exists only while the account has opted in (turning it off deletes the row and the address).
 * Partners never have a row (the data layer refuses them; a role change to partner deletes it):
 * an address can identify them. The watermarks are the highest `report_events` and
 * `report_messages` ids the last digest counted, so a restart never sends the same events twice.
 */
export const notificationSettings = sqliteTable('notification_settings', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  address: text('address').notNull(),
  /** At most one digest per this many hours (1, 4 or 24). */
  intervalHours: integer('interval_hours').notNull(),
  /** When the last digest was sent (or the digest was turned on); the interval counts from here. */
  lastDigestAt: integer('last_digest_at', { mode: 'timestamp_ms' }).notNull(),
  lastEventId: integer('last_event_id').notNull().default(0),
  lastMessageId: integer('last_message_id').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/** One-time invitation or reset links (and bootstrap secrets). Only a SHA-256 of the token is kept. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: ['invite', 'reset', 'bootstrap'] }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_account').on(t.accountId)],
);

// ---------------------------------------------------------------------------------------------
// Reference lists (gazetteer, agencies, goods categories)
// ---------------------------------------------------------------------------------------------

export const places = sqliteTable(
  'places',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: PLACE_KINDS }).notNull(),
    country: text('country', { enum: ['KP', 'CN'] }).notNull(),
    parentId: text('parent_id'),
    nameEn: text('name_en').notNull(),
    nameKo: text('name_ko').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
    mergedInto: text('merged_into'),
  },
  (t) => [index('places_parent').on(t.parentId)],
);
export type Place = typeof places.$inferSelect;

export const agencies = sqliteTable('agencies', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: AGENCY_KINDS }).notNull(),
  nameEn: text('name_en').notNull(),
  nameKo: text('name_ko').notNull(),
  note: text('note'),
  retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
  mergedInto: text('merged_into'),
});
export type Agency = typeof agencies.$inferSelect;

export const goodsCategories = sqliteTable('goods_categories', {
  id: text('id').primaryKey(),
  nameEn: text('name_en').notNull(),
  nameKo: text('name_ko').notNull(),
  retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
  mergedInto: text('merged_into'),
});
export type GoodsCategory = typeof goodsCategories.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Client-generated UUID; UNIQUE so a retried submit never makes a second report. */
    clientId: text('client_id').notNull().unique(),
    authorId: integer('author_id').notNull().references(() => accounts.id),
    status: text('status', { enum: REPORT_STATUSES }).notNull().default('draft'),
    /** Optimistic-concurrency guard: every write checks and bumps it. */
    version: integer('version').notNull().default(1),
    observedFrom: integer('observed_from', { mode: 'timestamp_ms' }),
    observedTo: integer('observed_to', { mode: 'timestamp_ms' }),
    timeZone: text('time_zone', { enum: TIME_ZONES }).notNull().default('Asia/Pyongyang'),
    timeNote: text('time_note').notNull().default(''),
    placeId: text('place_id').references(() => places.id),
    placeDetail: text('place_detail').notNull().default(''),
    placePrecision: text('place_precision', { enum: PLACE_PRECISIONS }),
    title: text('title').notNull().default(''),
    narrative: text('narrative').notNull().default(''),
    sourceType: text('source_type', { enum: SOURCE_TYPES }),
    safetyNote: text('safety_note').notNull().default(''),
    /**
     * While a report is a draft (or changes_requested being edited): the form's values exactly as
     * typed (JSON of ReportFormValues), so autosave never drops a half-filled row or a local time
     * that cannot be converted yet. The structured columns and row tables hold what was submitted.
     */
    draftValues: text('draft_values', { mode: 'json' }),
    sourceReliability: text('source_reliability', { enum: SOURCE_RELIABILITIES }),
    informationCredibility: text('information_credibility', { enum: INFORMATION_CREDIBILITIES }),
    gradeNote: text('grade_note'),
    claimedBy: integer('claimed_by').references(() => accounts.id),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
    /**
     * When the partner last replied or resubmitted without the assigned editor (`claimedBy`)
     * having opened the review page since; null when read (issue 19, lib/lifecycle/signals.ts).
     */
    assigneeUnreadAt: integer('assignee_unread_at', { mode: 'timestamp_ms' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    index('reports_author_updated').on(t.authorId, t.updatedAt),
    index('reports_status_submitted').on(t.status, t.submittedAt, t.id),
    index('reports_submitted').on(t.submittedAt, t.id),
    index('reports_observed').on(t.observedFrom, t.id),
    index('reports_place_observed').on(t.placeId, t.observedFrom),
    index('reports_claimed').on(t.claimedBy),
    index('reports_status_claimed').on(t.status, t.claimedBy),
  ],
);
export type Report = typeof reports.$inferSelect;

export const reportVehicles = sqliteTable(
  'report_vehicles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    vehicleType: text('vehicle_type', { enum: VEHICLE_TYPES }).notNull(),
    count: integer('count').notNull(),
    isEstimate: integer('is_estimate', { mode: 'boolean' }).notNull().default(false),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    colours: text('colours').notNull().default(''),
    cargo: text('cargo').notNull().default(''),
  },
  (t) => [index('report_vehicles_report').on(t.reportId, t.position)],
);

export const reportGoods = sqliteTable(
  'report_goods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    categoryId: text('category_id').notNull().references(() => goodsCategories.id),
    description: text('description').notNull().default(''),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    quantity: real('quantity'),
    unit: text('unit'),
    value: real('value'),
    currency: text('currency', { enum: CURRENCIES }),
  },
  (t) => [
    index('report_goods_report').on(t.reportId, t.position),
    index('report_goods_category').on(t.categoryId),
  ],
);

export const reportAgencies = sqliteTable(
  'report_agencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** Null when the partner chose "other" and typed a name an editor may later map. */
    agencyId: text('agency_id').references(() => agencies.id),
    otherName: text('other_name'),
    role: text('role', { enum: AGENCY_ROLES }).notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [
    index('report_agencies_report').on(t.reportId, t.position),
    index('report_agencies_agency').on(t.agencyId),
  ],
);

/** Append-only (triggers in the migration refuse UPDATE and DELETE). */
export const reportEvents = sqliteTable(
  'report_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id),
    actorId: integer('actor_id').notNull().references(() => accounts.id),
    action: text('action').notNull(),
    fromStatus: text('from_status', { enum: REPORT_STATUSES }),
    toStatus: text('to_status', { enum: REPORT_STATUSES }).notNull(),
    note: text('note'),
    /**
     * What the partner is told with this step (a rejection's reason for the partner; issue 19).
     * `note` stays the editors' own and is never shown to the partner.
     */
    partnerNote: text('partner_note'),
    createdAt: createdAt(),
  },
  (t) => [index('report_events_report').on(t.reportId, t.id)],
);

/**
 * Revisions: kind 'submission' keeps what the partner submitted (never overwritten); kind
 * 'editor_edit' keeps before/after of an editor's correction. JSON text of the report's parts.
 */
export const reportRevisions = sqliteTable(
  'report_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id),
    actorId: integer('actor_id').notNull().references(() => accounts.id),
    kind: text('kind', { enum: ['submission', 'editor_edit'] }).notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('report_revisions_report').on(t.reportId, t.id)],
);

/** One thread per report between editors and the partner; isInternal notes are editors-only. */
export const reportMessages = sqliteTable(
  'report_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id),
    authorId: integer('author_id').notNull().references(() => accounts.id),
    body: text('body').notNull(),
    isInternal: integer('is_internal', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('report_messages_report').on(t.reportId, t.id)],
);

/** Per account and report: the newest message id the account has read (unread counts). */
export const messageReads = sqliteTable(
  'message_reads',
  {
    accountId: integer('account_id').notNull().references(() => accounts.id),
    reportId: integer('report_id').notNull().references(() => reports.id),
    lastReadMessageId: integer('last_read_message_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.reportId] })],
);

export const reportLinks = sqliteTable(
  'report_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id),
    otherReportId: integer('other_report_id').notNull().references(() => reports.id),
    kind: text('kind', { enum: LINK_KINDS }).notNull(),
    createdBy: integer('created_by').notNull().references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('report_links_pair').on(t.reportId, t.otherReportId),
    index('report_links_other').on(t.otherReportId),
  ],
);

export const photos = sqliteTable(
  'photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().references(() => reports.id),
    /** Server-made file name under DATA_DIR/uploads; never derived from the upload. */
    storageName: text('storage_name').notNull().unique(),
    mimeType: text('mime_type', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    caption: text('caption').notNull().default(''),
    /**
     * The photo's id as the uploading browser made it (a UUID; made by the server into the upload
     * form without scripts), so a retried upload stores the photo once per report (issue 18 item 6).
     * Null for photos stored before it existed and for uploads that carry none.
     */
    clientId: text('client_id'),
    createdAt: createdAt(),
  },
  (t) => [index('photos_report').on(t.reportId), uniqueIndex('photos_report_client_id').on(t.reportId, t.clientId)],
);

// ---------------------------------------------------------------------------------------------
// Publishing
// ---------------------------------------------------------------------------------------------

/**
 * A publication is the public snapshot of a report. `snapshot` holds exactly what the public page
 * shows (already coarsened); the observation tables below hold the rows behind lists, statistics
 * and exports, so public queries never touch `reports`.
 */
export const publications = sqliteTable(
  'publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull().unique().references(() => reports.id),
    publicId: text('public_id').notNull().unique(),
    status: text('status', { enum: PUBLICATION_STATUSES }).notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    /** Coarsened place (gazetteer id) and time window (UTC ms), for filters. */
    placeId: text('place_id'),
    periodStart: integer('period_start', { mode: 'timestamp_ms' }).notNull(),
    periodEnd: integer('period_end', { mode: 'timestamp_ms' }).notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull(),
    publishedBy: integer('published_by').notNull().references(() => accounts.id),
    retractedAt: integer('retracted_at', { mode: 'timestamp_ms' }),
    retractionReason: text('retraction_reason'),
  },
  (t) => [
    index('publications_status_published').on(t.status, t.publishedAt, t.id),
    index('publications_status_period').on(t.status, t.periodStart),
  ],
);

export const publishedVehicles = sqliteTable(
  'published_vehicles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicationId: integer('publication_id').notNull().references(() => publications.id, { onDelete: 'cascade' }),
    weekStart: integer('week_start', { mode: 'timestamp_ms' }).notNull(),
    vehicleType: text('vehicle_type', { enum: VEHICLE_TYPES }).notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    count: integer('count').notNull(),
    isEstimate: integer('is_estimate', { mode: 'boolean' }).notNull(),
    colours: text('colours').notNull().default(''),
    cargo: text('cargo').notNull().default(''),
  },
  (t) => [index('published_vehicles_publication').on(t.publicationId)],
);

export const publishedGoods = sqliteTable(
  'published_goods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicationId: integer('publication_id').notNull().references(() => publications.id, { onDelete: 'cascade' }),
    categoryId: text('category_id').notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    description: text('description').notNull().default(''),
    quantity: real('quantity'),
    unit: text('unit'),
    value: real('value'),
    currency: text('currency', { enum: CURRENCIES }),
  },
  (t) => [index('published_goods_publication').on(t.publicationId)],
);

export const publishedAgencies = sqliteTable(
  'published_agencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicationId: integer('publication_id').notNull().references(() => publications.id, { onDelete: 'cascade' }),
    agencyId: text('agency_id'),
    name: text('name').notNull(),
    role: text('role', { enum: AGENCY_ROLES }).notNull(),
  },
  (t) => [index('published_agencies_publication').on(t.publicationId)],
);

// ---------------------------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------------------------

/**
 * Append-only (triggers refuse UPDATE and DELETE; db/migrations/0001_append_only_logs.sql), except that
 * a collapsed failed-sign-in row may have its count bumped and sign-in rows older than a day may be
 * deleted by the retention sweep (0006_audit_sign_in_collapse.sql). Never holds passwords, tokens,
 * addresses or report text.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id').references(() => accounts.id),
    kind: text('kind').notNull(),
    targetAccountId: integer('target_account_id').references(() => accounts.id),
    detail: text('detail', { mode: 'json' }),
    createdAt: createdAt(),
    /**
     * Failed sign-ins are collapsed (issue 16 item 8; lib/audit/record.ts recordSignInFailureEvent):
     * one row per account (or "no account"), reason, client address (an IPv6 /64 as one) and
     * 15-minute window counts the failures (`count`) from `createdAt` to `lastAt`. Every other row
     * has count 1 and no lastAt.
     */
    count: integer('count').notNull().default(1),
    lastAt: integer('last_at', { mode: 'timestamp_ms' }),
    /**
     * Keyed digest naming a collapsed row's group (never the address itself; the key lives only in
     * the server process). Null for every other row.
     */
    collapseKey: text('collapse_key'),
  },
  (t) => [
    index('audit_events_created').on(t.createdAt),
    index('audit_events_kind').on(t.kind, t.createdAt),
    uniqueIndex('audit_events_collapse_key').on(t.collapseKey),
  ],
);

// ---------------------------------------------------------------------------------------------
// Official trade statistics (issue 21; docs/official-trade.md, lib/official/)
// ---------------------------------------------------------------------------------------------

/**
 * An uploaded file of official figures. `pending` while its admin looks at the preview (the
 * parsed rows wait here, bound to that admin, until `expiresAt`); `stored` once confirmed;
 * `discarded` when the admin drops it. Rows are the checked rows of lib/official/csv.ts
 * (OfficialRow[]); the file itself is never kept, only its SHA-256 and name.
 */
export const officialTradeImports = sqliteTable(
  'official_trade_imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    adminId: integer('admin_id').notNull().references(() => accounts.id),
    status: text('status', { enum: ['pending', 'stored', 'discarded'] }).notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    rows: text('rows', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    storedAt: integer('stored_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('official_trade_imports_admin').on(t.adminId, t.status)],
);

/**
 * Official monthly figures, one row per revision: the current figure of an authority, month and
 * flow is the one with `replacedAt` null (at most one: the partial unique index); a re-import
 * sets `replacedAt` on it and adds the next `revision`. Values are decimal text exactly as
 * imported (lib/official/decimal.ts); `unit` and `flow` are lib/official/format.ts codes.
 */
export const officialTradeFigures = sqliteTable(
  'official_trade_figures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id').notNull().references(() => officialTradeImports.id),
    authority: text('authority').notNull(),
    month: text('month').notNull(),
    flow: text('flow').notNull(),
    value: text('value').notNull(),
    unit: text('unit').notNull(),
    yoyChangePct: text('yoy_change_pct'),
    sourceName: text('source_name').notNull(),
    sourceUrl: text('source_url'),
    revision: integer('revision').notNull(),
    createdAt: createdAt(),
    replacedAt: integer('replaced_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('official_trade_figures_current').on(t.authority, t.month, t.flow).where(sql`replaced_at IS NULL`),
    index('official_trade_figures_key').on(t.authority, t.month, t.flow, t.revision),
  ],
);

/**
 * An admin's confirmation of a month whose checks found an inconsistency, with a note (published
 * beside the figures). It holds for exactly the figures it saw: `basis` lists the ids of the
 * current figures of that month and of the same month a year before (the year-on-year rule reads
 * them); once any of them is replaced the month is flagged again until confirmed anew.
 */
export const officialTradeConfirmations = sqliteTable(
  'official_trade_confirmations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    authority: text('authority').notNull(),
    month: text('month').notNull(),
    basis: text('basis').notNull(),
    note: text('note').notNull(),
    adminId: integer('admin_id').notNull().references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index('official_trade_confirmations_month').on(t.authority, t.month, t.id)],
);
