'use client';

import { createContext, useContext, useState } from 'react';
import { KEPT_OWNER_FIELD } from '@/lib/reports/owner-hint';

const KeptOwnerContext = createContext<string | null>(null);

/**
 * Hands the signed-in partner's owner hint (lib/reports/kept-post-owner.ts) to the forms below it,
 * so each renders it with one element (KeptOwnerField). Set once in the partner layout.
 */
export function KeptOwnerProvider({ hint, children }: { hint: string; children: React.ReactNode }) {
  return <KeptOwnerContext.Provider value={hint}>{children}</KeptOwnerContext.Provider>;
}

/**
 * The owner hint of the account this component was first rendered for, or null outside
 * KeptOwnerProvider. Pinned at mount: if the layout renders again for another account (another
 * partner signed in on this browser meanwhile), what this component holds — text typed, photos
 * picked — is still the first account's, and every call it makes says so (lib/auth/tab-owner.ts:
 * the server then saves nothing under the other account).
 */
export function useKeptOwnerHint(): string | null {
  const hint = useContext(KeptOwnerContext);
  const [pinned] = useState(hint);
  return pinned;
}

/**
 * The owner hint as a hidden field: the server saves a post of this form only under the account
 * the page was rendered for (lib/auth/tab-owner.ts), and keeps one sent with scripts off after
 * the session has ended for its author only (docs/decisions/0009-posts-kept-across-sign-in.md).
 * Renders nothing outside KeptOwnerProvider.
 */
export function KeptOwnerField() {
  const hint = useKeptOwnerHint();
  return hint ? <input type="hidden" name={KEPT_OWNER_FIELD} value={hint} /> : null;
}
