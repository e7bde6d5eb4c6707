'use client';

import { useState, useSyncExternalStore } from 'react';
import { wipeDevice } from './wipe';

const subscribeNothing = () => () => undefined;

/**
 * "Wipe this device" (scripts on only: without scripts the device keeps nothing of the partner's
 * work): removes every trace of the site from this browser (wipe.ts); the partner stays signed
 * in. Texts come from the page (server-translated).
 */
export function WipeControl({ texts }: { texts: { heading: string; explain: string; button: string; done: string } }) {
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
          void wipeDevice().then(() => setState('done'));
        }}
      >
        {texts.button}
      </button>
      <p role="status">{state === 'done' ? texts.done : null}</p>
    </section>
  );
}
