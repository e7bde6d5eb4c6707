'use client';

import { useActionState, useSyncExternalStore } from 'react';
import { useTranslations } from 'next-intl';
import { deleteDraftAction } from '../actions';
import type { DeleteDraftState } from './form-state';
import { KeptOwnerField } from '../../_device/kept-owner';
import { forgetLocalCopy } from './local-copy';

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => undefined;

/**
 * "Delete this draft" at the foot of a draft's edit page: a confirmation box and a button; works
 * without scripts. With scripts, the device's copy of the form is forgotten as the confirmed
 * request leaves, so nothing of the draft stays in the browser either. Scripts off, pressing the
 * button loads the page again, so the form says that unsaved changes above are not kept, and a
 * refusal's message takes the focus (autofocus), so the browser shows it where the partner is
 * instead of at the top of the page.
 */
export function DeleteDraftForm({ reportId, accountId, clientId }: { reportId: number; accountId: number; clientId: string }) {
  const t = useTranslations('report.deleteDraft');
  const tAll = useTranslations();
  const [state, formAction, isPending] = useActionState<DeleteDraftState, FormData>(deleteDraftAction, { seq: 0, ok: false });
  // False while rendering on the server and hydrating, true once scripts run in the browser.
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  return (
    <form
      action={formAction}
      className="danger-zone"
      aria-labelledby="delete-draft-title"
      onSubmit={(event) => {
        const confirmed = new FormData(event.currentTarget).get('confirm') === 'yes';
        if (confirmed) void forgetLocalCopy(accountId, clientId);
      }}
    >
      <h2 id="delete-draft-title">{t('title')}</h2>
      <p id="delete-draft-intro">{t('intro')}</p>
      {isEnhanced ? null : <p className="field-hint">{t('unsavedNotKept')}</p>}
      {state.messageKey ? (
        // Scripts off, the answer is a new page: the focus (and the view) goes to the message.
        <div className="error-summary" role="alert" id="delete-draft-error" tabIndex={-1} autoFocus={isEnhanced ? undefined : true}>
          <p>{tAll(state.messageKey)}</p>
        </div>
      ) : null}
      <KeptOwnerField />
      <input type="hidden" name="reportId" value={reportId} />
      <p>
        <input type="checkbox" id="delete-draft-confirm" name="confirm" value="yes" aria-describedby="delete-draft-intro" key={state.seq} />{' '}
        <label htmlFor="delete-draft-confirm" className="inline-label">
          {t('confirm')}
        </label>
      </p>
      <button type="submit" className="danger" disabled={isPending}>
        {t('submit')}
      </button>
    </form>
  );
}
