/**
 * An account's standing with two-factor sign-in: the one rule (docs/security/README.md "Accounts
 * and sessions": TOTP for editors and admins; issue 6: demo mode exempts only the demo accounts)
 * read by the sign-in flow (which step follows a right password), the admin's account pages and
 * the data layer (lib/accounts/accounts.ts, two-factor.ts). Pure: no database, no environment.
 */
import type { Role } from '@/db/enums';
import { isTwoFactorRequired } from '@/lib/auth/roles';

/**
 * - 'on': the account has a TOTP secret (it signs in with a code);
 * - 'optional': off, and its role does not require it (partners);
 * - 'exempt': off, required by its role, but a demo account in demo mode;
 * - 'required': off and required — it sets one up at its next sign-in.
 */
export type TwoFactorState = 'on' | 'optional' | 'exempt' | 'required';

/**
 * Where an account stands with two-factor sign-in.
 * @param hasTwoFactor the account has a TOTP secret (accounts.totp_secret is set)
 * @param isDemoAccount one of the demo accounts (accounts.is_demo)
 * @param isDemoMode the server runs in demo mode (lib/env.ts isDemoMode)
 */
export function twoFactorStateOf({
  role,
  hasTwoFactor,
  isDemoAccount,
  isDemoMode,
}: {
  role: Role;
  hasTwoFactor: boolean;
  isDemoAccount: boolean;
  isDemoMode: boolean;
}): TwoFactorState {
  if (hasTwoFactor) return 'on';
  if (!isTwoFactorRequired(role)) return 'optional';
  if (isDemoMode && isDemoAccount) return 'exempt';
  return 'required';
}

/**
 * What an account must do after a right password: 'verify' a code when it has 2FA, 'enrol' when
 * its role requires 2FA and it has none, else nothing ('none'). Demo mode exempts only accounts
 * marked isDemo (the four demo accounts), nowhere else (issue 6).
 */
export function secondStepFor({
  role,
  hasTotp,
  isDemoAccount,
  isDemoMode,
}: {
  role: Role;
  hasTotp: boolean;
  isDemoAccount: boolean;
  isDemoMode: boolean;
}): 'verify' | 'enrol' | 'none' {
  const state = twoFactorStateOf({ role, hasTwoFactor: hasTotp, isDemoAccount, isDemoMode });
  return state === 'on' ? 'verify' : state === 'required' ? 'enrol' : 'none';
}
