import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { getAccountForAdmin } from '@/lib/accounts/accounts';
import { pickMessages } from '@/lib/i18n/messages';
import { changeRoleAction, deactivateAction, reactivateAction, resetAction, resetTwoFactorAction } from '../../actions';
import { ChangeRoleForm } from '../../_components/account-forms';
import { ActionButton } from '../../_components/admin-form';
import { formatUtc, twoFactorWords } from '../../_components/format';

export const metadata = { title: 'Account' };

/** One account: its state and every admin action on it. */
export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireArea('admin');
  const { id } = await params;
  const result = getAccountForAdmin({ actor, accountId: id });
  if (!result.ok) notFound();
  const a = result.account;
  return (
    <>
      <p>
        <Link href="/admin">← All accounts</Link>
      </p>
      <h1>{a.codeName}</h1>
      <dl className="grid-2">
        <dt>Role</dt>
        <dd>{a.role}</dd>
        <dt>Status</dt>
        <dd>
          <span className="status">{a.status}</span>
        </dd>
        <dt>Last sign-in</dt>
        <dd>{formatUtc(a.lastSignInAt)}</dd>
        <dt>Two-step sign-in</dt>
        <dd>{twoFactorWords(a.twoFactor, a.unusedRecoveryCodes)}</dd>
        <dt>Password</dt>
        <dd>{a.hasPassword ? 'set' : 'not set'}</dd>
        <dt>Open one-time link</dt>
        <dd>{a.openLink ? `${a.openLink.purpose}, until ${formatUtc(a.openLink.expiresAt)}` : 'none'}</dd>
        <dt>Created</dt>
        <dd>{formatUtc(a.createdAt)}</dd>
      </dl>
      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['accounts'])}>
        <section aria-labelledby="role-heading">
          <h2 id="role-heading">Role</h2>
          <ChangeRoleForm action={changeRoleAction} accountId={a.id} role={a.role} />
        </section>
        <section aria-labelledby="access-heading">
          <h2 id="access-heading">Access</h2>
          <ActionButton
            action={deactivateAction}
            fields={{ accountId: a.id }}
            available={a.status === 'active'}
            label="Deactivate"
            variant="danger"
            confirm={{ id: 'deactivate-confirm', label: 'I am sure: deactivate this account and end its sessions.' }}
            explanation="Ends every open session at its next request and voids open links. The account and its reports stay."
          />
          <ActionButton
            action={reactivateAction}
            fields={{ accountId: a.id }}
            available={a.status !== 'active'}
            label="Reactivate"
            explanation="The account can sign in again with its password."
          />
        </section>
        <section aria-labelledby="reset-heading">
          <h2 id="reset-heading">Password and two-step sign-in</h2>
          <ActionButton
            action={resetAction}
            fields={{ accountId: a.id }}
            available={a.status === 'active'}
            label="Issue a reset link"
            explanation="Clears the password, ends open sessions and makes a new one-time link (72 hours). Two-step sign-in stays on."
          />
          <ActionButton
            action={resetTwoFactorAction}
            fields={{ accountId: a.id }}
            available={a.hasTwoFactor}
            label="Reset two-step sign-in"
            explanation="For a lost phone: removes the authenticator and recovery codes and ends open sessions."
          />
        </section>
      </NextIntlClientProvider>
    </>
  );
}
