import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { readKeptPostToken } from '@/lib/auth/kept-post-cookie';
import { ROLE_HOMES } from '@/lib/auth/roles';
import { getCurrentAccount } from '@/lib/auth/session';
import { peekKeptPost } from '@/lib/reports/kept-posts';
import { confirmKeptPostAction, discardUnboundKeptPostAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('keptConfirm.title') };
}

/**
 * "Is this yours?" after a sign-in, when this browser holds a post kept with no account named
 * (security review of issue 18, finding 2; docs/decisions/0009-posts-kept-across-sign-in.md): it is
 * replayed into the partner's account only when they say it is theirs. Under /sign-in, where the
 * kept-post cookie is sent. The text is not shown here (it may be someone else's).
 */
export default async function KeptPostConfirmPage() {
  const account = await getCurrentAccount();
  if (!account) redirect('/sign-in');
  const kept = peekKeptPost({ token: await readKeptPostToken() });
  if (account.role !== 'partner' || !kept || kept.isBound) redirect(ROLE_HOMES[account.role]);
  const t = await getTranslations('auth.keptConfirm');
  return (
    <>
      <h1>{t('title')}</h1>
      <p role="status">{kept.kind === 'reply' ? t('reply') : t('report')}</p>
      <form action={confirmKeptPostAction}>
        <button type="submit">{t('save')}</button>
      </form>
      <form action={discardUnboundKeptPostAction}>
        <button type="submit" className="secondary">
          {t('discard')}
        </button>
      </form>
    </>
  );
}
