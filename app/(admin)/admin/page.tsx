import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { listAccounts, type AccountSummary } from '@/lib/accounts/accounts';
import { pickMessages } from '@/lib/i18n/messages';
import { createAccountAction } from './actions';
import { CreateAccountForm } from './_components/account-forms';
import { formatUtc, twoFactorWords } from './_components/format';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('common.nav'))('accounts') };
}

function passwordState(account: AccountSummary): string {
  if (account.openLink) return `link open until ${formatUtc(account.openLink.expiresAt)}`;
  return account.hasPassword ? 'set' : 'not set (issue a reset link)';
}

/** Accounts: the admin's home — the list and the "create an account" form. */
export default async function AccountsPage() {
  const actor = await requireArea('admin');
  const tNav = await getTranslations('common.nav');
  const result = listAccounts({ actor });
  if (!result.ok) throw new Error('listAccounts refused an admin');
  return (
    <>
      <h1>{tNav('accounts')}</h1>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">Create an account</h2>
        <p>
          The new account has no password: send its one-time link (valid 72 hours) to the person, who sets their own.
          Editors and admins set up two-step sign-in at their first sign-in.
        </p>
        <NextIntlClientProvider messages={pickMessages(await getMessages(), ['accounts', 'auth'])}>
          <CreateAccountForm action={createAccountAction} />
        </NextIntlClientProvider>
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">All accounts ({result.accounts.length})</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Code name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Two-step sign-in</th>
                <th scope="col">Password</th>
              </tr>
            </thead>
            <tbody>
              {result.accounts.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/admin/accounts/${a.id}`}>{a.codeName}</Link>
                  </td>
                  <td>{a.role}</td>
                  <td>
                    <span className="status">{a.status}</span>
                  </td>
                  <td>{formatUtc(a.lastSignInAt)}</td>
                  <td>{twoFactorWords(a.twoFactor)}</td>
                  <td>{passwordState(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
