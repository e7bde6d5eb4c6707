/**
 * The audit log as CSV (the admin's download, issue 19 item 14): one line per audit event, newest
 * first, UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting (csv-stringify), text cells that
 * start with =, +, -, @, tab or carriage return prefixed with an apostrophe (OWASP "CSV
 * injection"; lib/publishing/export-rows.ts toCsvCell), each instant in ISO 8601 UTC with a plain
 * YYYY-MM-DD (UTC) date beside it, and the event's detail as its JSON text. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import { toCsvCell, type ExportValue } from '@/lib/publishing/export-rows';
import type { AuditEntry } from './audit-log';

/** Column order of the audit-log CSV. */
export const AUDIT_CSV_COLUMNS = [
  'event_id',
  'created_at',
  'created_date_utc',
  'kind',
  'actor_id',
  'actor_code_name',
  'target_account_id',
  'target_code_name',
  'count',
  'last_at',
  'last_date_utc',
  'detail',
] as const;

function record(e: AuditEntry): ExportValue[] {
  return [
    e.id,
    e.createdAt.toISOString(),
    e.createdAt.toISOString().slice(0, 10),
    e.kind,
    e.actorId,
    e.actorCodeName,
    e.targetAccountId,
    e.targetCodeName,
    e.count,
    e.lastAt ? e.lastAt.toISOString() : null,
    e.lastAt ? e.lastAt.toISOString().slice(0, 10) : null,
    e.detail === null || e.detail === undefined ? null : JSON.stringify(e.detail),
  ];
}

/** The events as CSV text: a byte-order mark, the header line, one CRLF-ended line per event. */
export function auditLogCsv(events: readonly AuditEntry[]): string {
  return `\uFEFF${stringify([[...AUDIT_CSV_COLUMNS], ...events.map((e) => record(e).map(toCsvCell))], { record_delimiter: 'windows' })}`;
}
