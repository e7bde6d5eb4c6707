/**
 * How each Server Action of the app is called, so proxy.ts can refuse a malformed call with 400
 * before Next.js hands it to the action (where a string in place of a FormData, or a missing
 * argument, would throw and answer 500). Pure data; lib/http/action-shapes.test.ts derives every
 * action's shape from its source and fails when this table disagrees or misses one.
 *
 * - 'form': `(formData: FormData)` — a plain `<form action={fn}>`; the only shape a no-script
 *   post may name with `$ACTION_ID_<id>`.
 * - 'state-form': `(previousState, formData: FormData)` — useActionState; React's client sends
 *   `[state, "$K1"]`, a no-script post sends `$ACTION_REF_…` with the state.
 * - 'values': plain values (no FormData), validated by the action itself (zod on `unknown`).
 */
export type ActionShape = 'form' | 'state-form' | 'values';

/** Every Server Action, by 'repo-relative file#export' (the key of server-reference-manifest.json). */
export const ACTION_SHAPES: Readonly<Record<string, ActionShape>> = {
  'app/(admin)/admin/actions.ts#changeRoleAction': 'state-form',
  'app/(admin)/admin/actions.ts#createAccountAction': 'state-form',
  'app/(admin)/admin/actions.ts#deactivateAction': 'state-form',
  'app/(admin)/admin/actions.ts#reactivateAction': 'state-form',
  'app/(admin)/admin/actions.ts#resetAction': 'state-form',
  'app/(admin)/admin/actions.ts#resetTwoFactorAction': 'state-form',
  'app/(admin)/admin/lists/actions.ts#addEntryAction': 'state-form',
  'app/(admin)/admin/lists/actions.ts#mergeEntryAction': 'state-form',
  'app/(admin)/admin/lists/actions.ts#renameEntryAction': 'state-form',
  'app/(admin)/admin/lists/actions.ts#restoreEntryAction': 'state-form',
  'app/(admin)/admin/lists/actions.ts#retireEntryAction': 'state-form',
  'app/(auth)/account/security/actions.ts#replaceRecoveryCodesAction': 'state-form',
  'app/(auth)/account/security/actions.ts#settingsEnrolAction': 'state-form',
  'app/(auth)/account/security/actions.ts#startSettingsEnrolmentAction': 'form',
  'app/(auth)/account/security/actions.ts#turnOffTwoFactorAction': 'state-form',
  'app/(auth)/invite/[token]/actions.ts#setPasswordAction': 'state-form',
  'app/(auth)/sign-in/actions.ts#enrolAction': 'state-form',
  'app/(auth)/sign-in/actions.ts#signInAction': 'state-form',
  'app/(auth)/sign-in/actions.ts#twoFactorAction': 'state-form',
  'app/(editor)/editor/actions.ts#bulkFilteredAction': 'state-form',
  'app/(editor)/editor/actions.ts#bulkSelectedAction': 'state-form',
  'app/(editor)/editor/reports/[id]/actions.ts#decideAction': 'state-form',
  'app/(editor)/editor/reports/[id]/actions.ts#editAction': 'state-form',
  'app/(editor)/editor/reports/[id]/actions.ts#linkAction': 'state-form',
  'app/(editor)/editor/reports/[id]/actions.ts#postToThreadAction': 'state-form',
  'app/(editor)/editor/reports/[id]/actions.ts#unlinkAction': 'state-form',
  'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction': 'state-form',
  'app/(editor)/editor/reports/[id]/publish/actions.ts#retractFormAction': 'state-form',
  'app/(partner)/partner/reports/[id]/photos/actions.ts#removePhotoAction': 'form',
  'app/(partner)/partner/reports/[id]/photos/actions.ts#savePhotoCaptionAction': 'form',
  'app/(partner)/partner/reports/actions.ts#autosaveReportDraft': 'values',
  'app/(partner)/partner/reports/actions.ts#deleteDraftAction': 'state-form',
  'app/(partner)/partner/reports/actions.ts#postReportReply': 'state-form',
  'app/(partner)/partner/reports/actions.ts#reportFormAction': 'state-form',
  'app/_components/locale-actions.ts#changeLocale': 'form',
  'app/_components/map-other-agency/action.ts#mapOtherAgencyAction': 'state-form',
};
