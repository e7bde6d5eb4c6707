/**
 * Confirmation before what cannot be undone (issue 19 item 8): rejecting or retracting a report,
 * deactivating an account, merging a reference-list entry. The form renders a checkbox named
 * CONFIRM_FIELD with the value CONFIRM_VALUE, and the Server Action refuses the post unless it was
 * ticked — so the confirmation is the server's rule and works without scripts (a browser with
 * scripts posts the same field). Pure module: forms and actions share it.
 */

/** The confirming checkbox's name. */
export const CONFIRM_FIELD = 'confirm';
/** The value a ticked confirming checkbox posts. */
export const CONFIRM_VALUE = 'yes';

/** Whether the posted form (FormData or its text fields) carries a ticked confirmation. */
export function isConfirmed(form: FormData | Record<string, string | undefined>): boolean {
  const value = form instanceof FormData ? form.get(CONFIRM_FIELD) : form[CONFIRM_FIELD];
  return value === CONFIRM_VALUE;
}
