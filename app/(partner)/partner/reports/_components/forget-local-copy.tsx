'use client';

import { useEffect } from 'react';
import { forgetLocalCopy } from './local-copy';

/** Once a report is submitted, the browser's copy of its form is no longer needed: remove it. */
export function ForgetLocalCopy({ accountId, clientId }: { accountId: number; clientId: string }) {
  useEffect(() => void forgetLocalCopy(accountId, clientId), [accountId, clientId]);
  return null;
}
