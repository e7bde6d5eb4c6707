import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { exportAuditEvents } from '@/lib/accounts/audit-log';
import { auditLogCsv } from '@/lib/accounts/audit-log-csv';
import { getCurrentAccount } from '@/lib/auth/session';
import { canUseArea } from '@/lib/auth/roles';
import { attachmentAnswer, plainTextAnswer, signInRedirect } from '@/lib/http/download';
import { isSameOriginRequest } from '@/lib/http/origin';
import { loadMessages } from '@/lib/i18n/messages';

export const dynamic = 'force-dynamic';

/**
 * GET /admin/audit/export?actor=&kind=&from=&to= — the audit log as CSV for admins (issue 19 item
 * 14): every event the audit page's filters match, not paged (lib/accounts/audit-log-csv.ts for
 * the format). A signed-out caller is sent to sign in, any other role gets 403; the data layer
 * checks the account again and records the download as an `audit_log_exported` event
 * (lib/accounts/audit-log.ts exportAuditEvents). A request another site started is refused (the
 * download writes to the audit log; lib/http/origin.ts).
 */
export async function GET(request: Request): Promise<Response> {
  const account = await getCurrentAccount();
  const url = new URL(request.url);
  if (!account) return signInRedirect(url);
  const t = createTranslator({ locale: account.locale, messages: loadMessages(account.locale) as unknown as AbstractIntlMessages, namespace: 'accounts' });
  if (!canUseArea(account.role, 'admin') || !isSameOriginRequest(request)) return plainTextAnswer(403, t('errors.notAllowed'));
  const p = url.searchParams;
  const filters = { actor: p.get('actor') ?? undefined, kind: p.get('kind') ?? undefined, from: p.get('from') ?? undefined, to: p.get('to') ?? undefined };
  const result = exportAuditEvents({ actor: account, filters });
  if (!result.ok) return result.messageKey === 'accounts.errors.notAllowed' ? plainTextAnswer(403, t('errors.notAllowed')) : plainTextAnswer(400, t('errors.auditExportTooLarge'));
  return attachmentAnswer(auditLogCsv(result.events), { contentType: 'text/csv; charset=utf-8; header=present', fileStem: 'field-reports-audit-log', extension: 'csv' });
}
