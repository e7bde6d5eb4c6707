import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { listReferenceEntries } from '@/lib/reference/lists';
import { LIST_KINDS, REFERENCE_LISTS, type ReferenceList } from '@/lib/reference/schema';
import { pickMessages } from '@/lib/i18n/messages';
import { addEntryAction } from './actions';
import { AddEntryForm } from './list-forms';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('common.nav'))('referenceLists') };
}

const LIST_TITLES: Record<ReferenceList, string> = { places: 'Places (gazetteer)', agencies: 'Agencies', goods: 'Goods categories' };

/** Reference lists: one list at a time (?list=places|agencies|goods), with its "add" form. */
export default async function ListsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea('admin');
  const tNav = await getTranslations('common.nav');
  const params = await searchParams;
  const list: ReferenceList = (REFERENCE_LISTS as readonly string[]).includes(String(params.list)) ? (params.list as ReferenceList) : 'places';
  const result = listReferenceEntries({ actor, list });
  if (!result.ok) throw new Error('listReferenceEntries refused an admin');
  const active = result.entries.filter((e) => !e.retiredAt);
  const kinds = LIST_KINDS[list];
  return (
    <>
      <h1>{tNav('referenceLists')}</h1>
      <nav aria-label="Lists">
        <ul className="row-actions" style={{ listStyle: 'none', padding: 0 }}>
          {REFERENCE_LISTS.map((l) => (
            <li key={l}>
              <Link href={`/admin/lists?list=${l}`} aria-current={l === list ? 'page' : undefined}>
                {LIST_TITLES[l]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h2>{LIST_TITLES[list]}</h2>
      <p>Retired entries stay on the reports that name them but are no longer offered in new reports. Merged entries point to the entry that replaced them.</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">English</th>
              <th scope="col">Korean</th>
              <th scope="col">Id</th>
              {kinds ? <th scope="col">Kind</th> : null}
              <th scope="col">Status</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {result.entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link href={`/admin/lists/${list}/${e.id}`}>{e.nameEn}</Link>
                </td>
                <td lang="ko">{e.nameKo}</td>
                <td>
                  <code>{e.id}</code>
                </td>
                {kinds ? <td>{e.kind}</td> : null}
                <td>{e.mergedInto ? `merged into ${e.mergedInto}` : e.retiredAt ? 'retired' : 'active'}</td>
                <td>{e.uses}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">Add to {LIST_TITLES[list]}</h2>
        <NextIntlClientProvider messages={pickMessages(await getMessages(), ['reference', 'accounts'])}>
          <AddEntryForm
            action={addEntryAction}
            list={list}
            kinds={kinds ? kinds.map((k) => ({ value: k, label: k.replaceAll('_', ' ') })) : null}
            parents={list === 'places' ? active.map((e) => ({ value: e.id, label: `${e.nameEn} (${e.id})` })) : null}
          />
        </NextIntlClientProvider>
      </section>
    </>
  );
}
