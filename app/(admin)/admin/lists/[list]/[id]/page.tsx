import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { getReferenceEntry, listReferenceEntries } from '@/lib/reference/lists';
import { pickMessages } from '@/lib/i18n/messages';
import { mergeEntryAction, renameEntryAction, restoreEntryAction, retireEntryAction } from '../../actions';
import { MergeEntryForm, RenameEntryForm } from '../../list-forms';
import { ActionButton } from '../../../_components/admin-form';
import { formatUtc } from '../../../_components/format';

export const metadata = { title: 'Reference entry' };

/** One reference entry: rename, retire or restore, merge. */
export default async function ReferenceEntryPage({ params }: { params: Promise<{ list: string; id: string }> }) {
  const actor = await requireArea('admin');
  const { list, id } = await params;
  const result = getReferenceEntry({ actor, list, id });
  if (!result.ok) notFound();
  const { entry } = result;
  const all = listReferenceEntries({ actor, list: result.list });
  const survivors = all.ok ? all.entries.filter((e) => !e.retiredAt && e.id !== entry.id).map((e) => ({ value: e.id, label: `${e.nameEn} (${e.id})` })) : [];
  return (
    <>
      <p>
        <Link href={`/admin/lists?list=${result.list}`}>← Back to the list</Link>
      </p>
      <h1>{entry.nameEn}</h1>
      <dl className="grid-2">
        <dt>Korean name</dt>
        <dd lang="ko">{entry.nameKo}</dd>
        <dt>Id</dt>
        <dd>
          <code>{entry.id}</code>
        </dd>
        {entry.kind ? (
          <>
            <dt>Kind</dt>
            <dd>{entry.kind}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>{entry.mergedInto ? `merged into ${entry.mergedInto}` : entry.retiredAt ? `retired ${formatUtc(entry.retiredAt)}` : 'active'}</dd>
        <dt>Used by</dt>
        <dd>{entry.uses} report rows</dd>
      </dl>
      {entry.mergedInto ? (
        <p className="notice">
          This entry was merged into <Link href={`/admin/lists/${result.list}/${entry.mergedInto}`}>{entry.mergedInto}</Link> and can no longer change.
        </p>
      ) : (
        <NextIntlClientProvider messages={pickMessages(await getMessages(), ['reference', 'accounts'])}>
          <section aria-labelledby="rename-heading">
            <h2 id="rename-heading">Rename</h2>
            <RenameEntryForm action={renameEntryAction} list={result.list} id={entry.id} nameEn={entry.nameEn} nameKo={entry.nameKo} />
          </section>
          <section aria-labelledby="retire-heading">
            <h2 id="retire-heading">{entry.retiredAt ? 'Restore' : 'Retire'}</h2>
            {entry.retiredAt ? (
              <ActionButton action={restoreEntryAction} fields={{ list: result.list, id: entry.id }} label="Restore" explanation="Offer this entry in new reports again." />
            ) : (
              <ActionButton
                action={retireEntryAction}
                fields={{ list: result.list, id: entry.id }}
                label="Retire"
                explanation="Reports that name it keep it; new reports can no longer choose it."
              />
            )}
          </section>
          <section aria-labelledby="merge-heading">
            <h2 id="merge-heading">Merge into another entry</h2>
            <MergeEntryForm action={mergeEntryAction} list={result.list} id={entry.id} choices={survivors} />
          </section>
        </NextIntlClientProvider>
      )}
    </>
  );
}
