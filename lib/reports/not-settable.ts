/**
 * Fields a partner may never set through the form: workflow, ownership, grading and bookkeeping
 * (docs/security/README.md, "Strict zod schemas reject fields the caller may not set"). A form
 * that carries one is refused with 'report.errors.fieldNotAllowed' rather than the generic
 * 'unknownField'. Its own module, so it travels only with the code that checks posts (the schemas
 * and the FormData parser), never in the report form's first load.
 */
export const REPORT_FIELDS_NOT_SETTABLE: ReadonlySet<string> = new Set([
  'id',
  'reportId',
  'report_id',
  'status',
  'authorId',
  'author_id',
  'author',
  'role',
  'version',
  'submittedAt',
  'createdAt',
  'updatedAt',
  'claimedBy',
  'claimedAt',
  'assigneeUnreadAt',
  'sourceReliability',
  'informationCredibility',
  'gradeNote',
  'position',
  'publicationId',
  'isInternal',
]);
