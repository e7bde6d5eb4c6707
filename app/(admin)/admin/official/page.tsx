import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { FLOW_NAMES, OFFICIAL_AUTHORITIES, OFFICIAL_COLUMNS, OFFICIAL_FLOWS, OFFICIAL_LIMITS, OFFICIAL_UNITS } from '@/lib/official/format';
import { listOfficialMonths, type StoredFigure } from '@/lib/official/store';
import { formatUtc } from '../_components/format';
import { confirmOfficialMonthAction, uploadOfficialFileAction } from './actions';
import { ConfirmMonthForm, UploadForm } from './official-forms';

export const metadata: Metadata = { title: 'Official statistics' };

const DONE: Record<string, string> = {
  stored: 'Stored. Months whose checks fail are flagged below and stay off the public charts until corrected or confirmed.',
  discarded: 'Discarded: nothing was stored.',
  confirmed: 'Confirmed: the month is on the public charts and in the exports, with your note.',
};

const STATUS_WORDS = { consistent: 'checks pass', flagged: 'FLAGGED: not public', confirmed: 'confirmed with a note' } as const;

/** "241.93 usd_million, −37.5 % y/y (rev. 2)" */
function figureText(f: StoredFigure): string {
  return `${f.value} ${f.unit}${f.yoyChangePct === null ? '' : `, ${f.yoyChangePct} % y/y`}${f.revision > 1 ? ` (rev. ${f.revision})` : ''}`;
}

/**
 * Official statistics (issue 21): the upload form with the format, then every month with its
 * figures, what each check says, and — for a flagged month — the form that confirms it with a
 * note; earlier revisions at the end.
 */
export default async function OfficialStatisticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea('admin');
  const result = listOfficialMonths({ actor });
  if (!result.ok) throw new Error('listOfficialMonths refused an admin');
  const done = (await searchParams).done;
  const flagged = result.months.filter((m) => m.status === 'flagged');
  const messages = pickMessages(await getMessages(), ['official', 'accounts']);
  return (
    <>
      <h1>Official statistics</h1>
      {typeof done === 'string' && DONE[done] ? (
        <p className="notice ok" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- /stats is a route handler without scripts (docs/decisions/0014-script-free-public-pages.md); <Link> would prefetch it */}
        Monthly official trade figures, shown on <a href="/stats">the statistics page</a> beside what partners saw, and in the open data. A month whose figures do
        not agree with each other is stored but flagged, and stays off public pages until a corrected file is imported or an admin confirms it with a note.
      </p>

      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">Import a file</h2>
        <NextIntlClientProvider messages={messages}>
          <UploadForm action={uploadOfficialFileAction} />
        </NextIntlClientProvider>
        <details>
          <summary>The file format</summary>
          <p>
            CSV, UTF-8 (a byte-order mark and Windows line ends are fine), a header line, then one row per figure. Columns: <code>{OFFICIAL_COLUMNS.join(', ')}</code>{' '}
            (<code>yoy_change_pct</code> may be left out or empty; <code>source_url</code> may be empty). Korean column names are accepted too (월, 보고기관, 흐름, 금액, 단위,
            전년동월대비(%), 출처, 출처URL).
          </p>
          <ul>
            <li>month: YYYY-MM, from {OFFICIAL_LIMITS.firstMonth} to this month</li>
            <li>authority: {OFFICIAL_AUTHORITIES.join(', ')}</li>
            <li>
              flow:{' '}
              {OFFICIAL_FLOWS.map((f) => (
                <span key={f}>
                  <code>{f}</code> ({FLOW_NAMES[f].en}){' '}
                </span>
              ))}
            </li>
            <li>value: a number with a point for decimals, no thousands separators, at most {OFFICIAL_LIMITS.decimals} decimals</li>
            <li>unit: {OFFICIAL_UNITS.join(', ')} (or “million USD”, “thousand USD”)</li>
            <li>
              yoy_change_pct: change against the same month a year before, in percent, from {OFFICIAL_LIMITS.yoyMinPct} to +{OFFICIAL_LIMITS.yoyMaxPct}
            </li>
            <li>source_name (required) and source_url (http or https)</li>
          </ul>
          <p>
            A file with any bad row is refused whole, with every problem listed. Re-importing a month, authority and flow replaces its figure and keeps the old one as a
            revision. Checks: the total equals the sum of its parts, no part exceeds the total, and a stated year-on-year change matches last year’s stored figure — each
            within what rounding the figures as written can explain (half a unit in their last decimal).
          </p>
        </details>
      </section>

      <section aria-labelledby="months-heading">
        <h2 id="months-heading">
          Months ({result.months.length}; {flagged.length} flagged)
        </h2>
        {result.months.length === 0 ? <p>No official figures yet.</p> : null}
        {result.months.map((m) => (
          <article key={`${m.authority}-${m.month}`} aria-labelledby={`month-${m.authority}-${m.month}`} className={m.status === 'flagged' ? 'notice warn' : undefined}>
            <h3 id={`month-${m.authority}-${m.month}`}>
              {m.month} · {m.authority} · <span className="status">{STATUS_WORDS[m.status]}</span>
            </h3>
            <ul>
              {m.figures.map((f) => (
                <li key={f.id}>
                  {FLOW_NAMES[f.flow].en}: {figureText(f)} — {f.sourceName}
                  {f.sourceUrl ? (
                    <>
                      {' '}
                      (<a href={f.sourceUrl} rel="noreferrer noopener">source</a>)
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            <ul aria-label={`Checks of ${m.month}`}>
              {m.checks.map((c, i) => (
                <li key={i}>
                  <strong>{c.status === 'inconsistent' ? 'Inconsistent' : c.status === 'ok' ? 'OK' : 'Not checked'}:</strong> {c.text}
                </li>
              ))}
            </ul>
            {m.confirmation ? (
              <p>
                Confirmed {formatUtc(m.confirmation.at)}: “{m.confirmation.note}”
              </p>
            ) : null}
            {m.status === 'flagged' ? (
              <NextIntlClientProvider messages={messages}>
                <ConfirmMonthForm action={confirmOfficialMonthAction} authority={m.authority} month={m.month} basis={m.basis} />
              </NextIntlClientProvider>
            ) : null}
          </article>
        ))}
      </section>

      {result.revisions.length > 0 ? (
        <section aria-labelledby="revisions-heading">
          <h2 id="revisions-heading">Earlier revisions</h2>
          <ul>
            {result.revisions.map((f) => (
              <li key={f.id}>
                {f.month} {f.authority} {f.flow}: {f.value} {f.unit}
                {f.yoyChangePct === null ? '' : `, ${f.yoyChangePct} % y/y`} (revision {f.revision}, replaced {formatUtc(f.replacedAt)}) — {f.sourceName}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
