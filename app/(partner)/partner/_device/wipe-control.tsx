'use client';

import { useState, useSyncExternalStore } from 'react';
import { countUnsentWorkOrAssume } from './unsent-work-count';
import { wipeDevice } from './wipe';

const subscribeNothing = () => () => undefined;

/**
 * "Wipe this device" (scripts on only: without scripts the device keeps nothing of the partner's
 * work): removes every trace of the site from this browser (wipe.ts); the partner stays signed
 * in. When work exists only on this phone (reports waiting to be sent, unsaved changes:
 * unsent-work.ts) it asks first (`texts.confirm`). Texts come from the page (server-translated).
 */
export function WipeControl({ accountId, texts }: { accountId: number; texts: { heading: string; explain: string; button: string; confirm: string; done: string } }) {
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const [state, setState] = useState<'idle' | 'wiping' | 'done'>('idle');
  if (!isEnhanced) return null;
  return (
    <section aria-labelledby="device-heading" className="device-wipe">
      <h2 id="device-heading">{texts.heading}</h2>
      <p>{texts.explain}</p>
      <button
        type="button"
        className="secondary"
        disabled={state === 'wiping'}
        onClick={() => {
          setState('wiping');
          void (async () => {
            if ((await countUnsentWorkOrAssume(accountId)) > 0 && !window.confirm(texts.confirm)) {
              setState('idle');
              return;
            }
            await wipeDevice();
            setState('done');
          })();
        }}
      >
        {texts.button}
      </button>
      <p role="status">{state === 'done' ? texts.done : null}</p>
    </section>
  );
}
