import type { TwoFactorState } from '@/lib/accounts/two-factor-state';

/** "2026-03-01 10:00 UTC" — admin pages show instants in UTC, unambiguous for every admin. */
export function formatUtc(date: Date | null | undefined): string {
  if (!date) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * How an account stands with two-step sign-in, in words (lib/accounts/two-factor-state.ts).
 * @param unusedRecoveryCodes when known, said after 'on'
 */
export function twoFactorWords(state: TwoFactorState, unusedRecoveryCodes?: number): string {
  switch (state) {
    case 'on':
      return unusedRecoveryCodes === undefined ? 'on' : `on (${unusedRecoveryCodes} unused recovery codes)`;
    case 'optional':
      return 'off (optional for partners)';
    case 'exempt':
      return 'off (demo account, exempt in demo mode)';
    case 'required':
      return 'required: set up at next sign-in';
  }
}
