import 'server-only';
import type { Actor } from '@/lib/accounts/actor';
import { postMessage } from '@/lib/messages/thread';
import { findReportForActor } from '@/lib/lifecycle/access';
import { refuseNonEditor } from './guard';
import { refuse } from '@/lib/refusal';
import { NOT_FOUND, STALE, type ReviewResult } from './result';
import { positiveInt } from './schema';

/**
 * Editors' messages on a report's thread: a message to the partner, or an internal note partners
 * never see (lib/messages/thread.ts keeps both).
 *
 * Version: the post is refused as stale when the report changed since the editor's page was
 * rendered (so a note is never written against a state the editor did not see), but a message
 * does not bump the version: the thread is append-only and cannot overwrite anyone's work, and
 * bumping would make every open review page stale for a comment.
 */
export function postEditorMessage({
  actor,
  reportId,
  version,
  body,
  isInternal,
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  body: unknown;
  isInternal: boolean;
}): ReviewResult<{ messageId: number }> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const report = findReportForActor({ actor, reportId: id.data });
  if (!report) return { ...NOT_FOUND };
  const ver = positiveInt('review.errors.staleVersion').safeParse(version);
  if (!ver.success || ver.data !== report.version) return { ...STALE };
  const posted = postMessage({ actor, reportId: report.id, input: { body: typeof body === 'string' ? body : '' }, isInternal });
  if (!posted.ok) {
    return refuse(posted.code, posted.messageKey, posted.fieldErrors);
  }
  return { ok: true, messageId: posted.messageId };
}
