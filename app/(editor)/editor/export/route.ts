import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { getCurrentAccount } from '@/lib/auth/session';
import { canUseArea } from '@/lib/auth/roles';
import { attachmentAnswer, plainTextAnswer, signInRedirect } from '@/lib/http/download';
import { isSameOriginRequest } from '@/lib/http/origin';
import { loadMessages } from '@/lib/i18n/messages';
import { isConfirmed } from '@/lib/confirmation';
import { exportQueueReports } from '@/lib/review/export';
import { EDITOR_EXPORT_FORMATS, editorExportCsv, editorExportJson } from '@/lib/review/export-format';
import { parseQueueParams, queueSearchParams } from '@/lib/review/schema';

export const dynamic = 'force-dynamic';

/**
 * GET /editor/export?format=csv|json&confirm=yes&<the queue's filters> — the editors' export (issue
 * 19 item 14), posted by the page before it (export/confirm/page.tsx: what the file holds, that it
 * leaves the encrypted database, how to handle it); without its ticked confirmation
 * (lib/confirmation.ts) the editor is sent back there (303, `error=confirm`) and nothing is
 * exported or recorded; so is a confirmed link opened from outside the app (`Sec-Fetch-Site:
 * none`: a phishing mail could otherwise drop the file in an editor's downloads unwarned). Every
 * report the moderation queue's filters match, with every private field, as CSV (UTF-8 with a
 * byte-order mark, formula-safe cells, YYYY-MM-DD dates beside instants) or JSON
 * (lib/review/export-format.ts). Editors and admins only: a signed-out caller is sent to sign in,
 * any other role gets 403, and the data layer checks the account again and audits the export
 * (who, when, filter, count) in the same transaction (lib/review/export.ts). A request another
 * site started (Sec-Fetch-Site / Origin, lib/http/origin.ts) is refused: an export writes to the
 * audit log. A missing or unknown format, or a match over the export's cap, is 400 with the reason.
 */
export async function GET(request: Request): Promise<Response> {
  const account = await getCurrentAccount();
  const url = new URL(request.url);
  if (!account) return signInRedirect(url);
  const t = createTranslator({ locale: account.locale, messages: loadMessages(account.locale) as unknown as AbstractIntlMessages, namespace: 'desk' });
  if (!canUseArea(account.role, 'editor') || !isSameOriginRequest(request)) return plainTextAnswer(403, t('export.refused'));
  const format = EDITOR_EXPORT_FORMATS.find((f) => f === url.searchParams.get('format'));
  if (!format) return plainTextAnswer(400, t('export.unknownFormat'));
  const { filters } = parseQueueParams(url.searchParams);
  // The file holds code names and safety notes in the clear: only after the page that says so. A
  // ticked box counts only from a page of ours: a link opened from outside the app (a mail, a chat,
  // a bookmark: the browser says `Sec-Fetch-Site: none`) shows that page first, with no error.
  const fromOutside = request.headers.get('sec-fetch-site') === 'none';
  if (fromOutside || !isConfirmed(Object.fromEntries(url.searchParams))) {
    const back = new URLSearchParams([...queueSearchParams(filters), ...(fromOutside ? [] : [['error', 'confirm']])]);
    return Response.redirect(new URL(`/editor/export/confirm?${back.toString()}`, url), 303);
  }
  const result = exportQueueReports({ actor: account, filters, format });
  if (!result.ok) return result.code === 'forbidden' ? plainTextAnswer(403, t('export.refused')) : plainTextAnswer(400, t('export.tooMany'));
  const body =
    format === 'csv'
      ? editorExportCsv(result.reports)
      : editorExportJson(result.reports, { filter: Object.fromEntries(queueSearchParams(filters)), exportedAt: Date.now() });
  const contentType = format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8';
  return attachmentAnswer(body, { contentType, fileStem: 'field-reports-queue', extension: format });
}
