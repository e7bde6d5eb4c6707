import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { FLOW_NAMES } from '@/lib/official/format';
import { getOfficialPreview } from '@/lib/official/store';
import { formatUtc } from '../../../_components/format';
import { confirmOfficialImportAction, discardOfficialImportAction } from '../../actions';
import { ImportDecision } from '../../official-forms';

export const metadata: Metadata = { title: 'Preview of an import' };

const CHANGE_WORDS = { new: 'new', replaces: 'replaces', unchanged: 'unchanged (same as stored)' } as const;

/**
 * The preview of a pending import (issue 21 item 1): exactly the rows Confirm will store, what each
 * does to the store, and what every check will say of each month it touches. Another admin's,
 * a stored or an unknown import is 404; an expired one says so.
 */
export default async function OfficialImportPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireArea('admin');
  const { id } = await params;
  const result = getOfficialPreview({ actor, importId: id });
  if (!result.ok) {
    if ('code' in result && result.code === 'expired') {
      const t = await getTranslations('official.errors');
      return (
        <>
          <h1>Preview of an import</h1>
          <p className="notice warn">{t('expired')}</p>
          <p>
            <Link href="/admin/official">Back to official statistics</Link>
          </p>
        </>
      );
    }
    notFound();
  }
  const { preview } = result;
  const flagged = preview.months.filter((m) => !m.isConsistent);
  return (
    <>
      <h1>Preview of an import</h1>
      <p>
        File “{preview.fileName}” (SHA-256 <code>{preview.fileSha256.slice(0, 16)}…</code>), {preview.rows.length} {preview.rows.length === 1 ? 'row' : 'rows'}. Nothing
        is stored until you confirm; this preview waits until {formatUtc(preview.expiresAt)}.
      </p>
      {flagged.length > 0 ? (
        <p className="notice warn" role="status">
          {flagged.length === 1 ? '1 month fails' : `${flagged.length} months fail`} a check ({flagged.map((m) => m.month).join(', ')}): it will be stored but flagged, and
          kept off the public charts and exports until a corrected file is imported or an admin confirms it with a note.
        </p>
      ) : (
        <p className="notice ok" role="status">
          Every check passes or cannot be made: the figures will be public once stored.
        </p>
      )}

      <div className="table-scroll">
        <table>
          <caption>What will be stored</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Month</th>
              <th scope="col">Authority</th>
              <th scope="col">Flow</th>
              <th scope="col">Value</th>
              <th scope="col">Unit</th>
              <th scope="col">Year on year</th>
              <th scope="col">Source</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>{row.month}</td>
                <td>{row.authority}</td>
                <th scope="row">{FLOW_NAMES[row.flow].en}</th>
                <td>{row.value}</td>
                <td>{row.unit}</td>
                <td>{row.yoyChangePct === null ? '—' : `${row.yoyChangePct} %`}</td>
                <td>
                  {row.sourceName}
                  {row.sourceUrl ? (
                    <>
                      <br />
                      <code>{row.sourceUrl}</code>
                    </>
                  ) : null}
                </td>
                <td>
                  {CHANGE_WORDS[row.change]}
                  {row.change === 'replaces' && row.previous ? ` ${row.previous.value} ${row.previous.unit} (revision ${row.previous.revision}, kept)` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Checks after storing</h2>
      {preview.months.map((m) => (
        <section key={`${m.authority}-${m.month}`} aria-labelledby={`check-${m.authority}-${m.month}`} className={m.isConsistent ? undefined : 'notice warn'}>
          <h3 id={`check-${m.authority}-${m.month}`}>
            {m.month} · {m.authority} · {m.isConsistent ? 'consistent' : 'FLAGGED'}
            {m.isInFile ? '' : ' (not in the file: its year-on-year check reads a figure the file changes)'}
          </h3>
          <ul>
            {m.checks.map((c, i) => (
              <li key={i}>
                <strong>{c.status === 'inconsistent' ? 'Inconsistent' : c.status === 'ok' ? 'OK' : 'Not checked'}:</strong> {c.text}
              </li>
            ))}
          </ul>
        </section>
      ))}

      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['official', 'accounts'])}>
        <ImportDecision confirm={confirmOfficialImportAction} discard={discardOfficialImportAction} importId={preview.importId} basis={preview.basis} />
      </NextIntlClientProvider>
    </>
  );
}
