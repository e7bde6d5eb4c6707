'use client';

import { createContext, useContext } from 'react';
import { KEPT_OWNER_FIELD } from '@/lib/reports/kept-post-fields';

const KeptOwnerContext = createContext<string | null>(null);

/**
 * Hands the signed-in partner's owner hint (lib/reports/kept-post-owner.ts) to the forms below it,
 * so each renders it with one element (KeptOwnerField). Set once in the partner layout.
 */
export function KeptOwnerProvider({ hint, children }: { hint: string; children: React.ReactNode }) {
  return <KeptOwnerContext.Provider value={hint}>{children}</KeptOwnerContext.Provider>;
}

/**
 * The owner hint as a hidden field: a post of this form sent with scripts off after the session
 * has ended is kept for its author only (docs/decisions/0009-posts-kept-across-sign-in.md).
 * Renders nothing outside KeptOwnerProvider.
 */
export function KeptOwnerField() {
  const hint = useContext(KeptOwnerContext);
  return hint ? <input type="hidden" name={KEPT_OWNER_FIELD} value={hint} /> : null;
}
