import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { DataTable } from '@/app/_components/data-table';
import { Options } from '@/app/_components/options';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { INFORMATION_CREDIBILITIES, SOURCE_RELIABILITIES, VEHICLE_TYPES } from '@/lib/enums';
import { listAgencyOptions, listGoodsCategoryOptions, listPlaceOptions } from '@/lib/places/gazetteer';
import { listAssignableColleagues } from '@/lib/review/assignment';
import { countQueueByStatus, listQueue } from '@/lib/review/queue';
import { formatUtc, timeView } from '@/lib/review/review-page';
import {
  BULK_ACTIONS,
  defaultQueueSort,
  EMPTY_QUEUE_FILTERS,
  parseQueueParams,
  QUEUE_PARAM,
  QUEUE_SEARCH_MAX,
  QUEUE_STATUSES,
  queueHref,
  queueSearchParams,
  reviewHref,
} from '@/lib/review/schema';
import { AwaitingNotice } from './_components/awaiting-notice';
import { BulkSelectedForm } from './_components/bulk-form';
import { ExportLinks } from './_components/export-links';
import { SearchScopeNotice } from './_components/search-scope-notice';
import { QueueKeys, SelectAllBox } from './_components/queue-keys';

/** The queue table's element id (the keyboard and the select-all box find the rows under it). */
const QUEUE_TABLE_ID = 'queue-table';
/** `?select=page`: the page shown with every row ticked (select all without scripts). */
const SELECT_PAGE_PARAM = 'select';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('review'))('queue.title') };
}

/**
 * The moderation queue: every report past draft, with counts per status, filters and keyset
 * pages that live in the URL (GET forms and links, so it works without JavaScript), and bulk
 * actions on ticked rows or on every row the filter matches (confirmed on /editor/bulk).
 * Issue 19 item 12: one dense line per row, keys to move, open and tick (QueueKeys), select all
 * on the page (a header box with scripts, a reload with every row ticked without), and each
 * report link carries the queue (filters, order, its place) so its review page offers the next.
 */
export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await requireArea('editor');
  const t = await getTranslations('review');
  const params = await searchParams;
  const { filters, cursor, ignored } = parseQueueParams(params);
  const isPageSelected = params[SELECT_PAGE_PARAM] === 'page';
  const pageHref = queueHref(filters, cursor);
  const result = listQueue({ actor: account, filters, cursor });
  const page = result.ok ? result : { rows: [], next: null, previous: null };
  const counts = countQueueByStatus({ actor: account, filters });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const placeOptions = listPlaceOptions({ locale: 'en' });
  const agencyOptions = listAgencyOptions({ locale: 'en' });
  const goodsCategoryOptions = listGoodsCategoryOptions({ locale: 'en' });
  const filterFields = Object.fromEntries(queueSearchParams(filters).entries());
  // The search box stays outside the folded filters; they open when any other filter is set.
  const hasOtherFilters = Object.keys(filterFields).some((name) => name !== QUEUE_PARAM.q);
  const matchingCount = filters.status ? counts[filters.status] : total;

  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['review'])}>
      <h1>{t('queue.title')}</h1>
      <AwaitingNotice actor={account} />

      <nav aria-label={t('queue.statusTabs')}>
        <ul className="status-tabs">
          <li>
            <Link href={queueHref({ ...filters, status: null })} aria-current={filters.status === null ? 'page' : undefined}>
              {t('queue.withCount', { label: t('queue.allStatuses'), count: total })}
            </Link>
          </li>
          {QUEUE_STATUSES.map((status) => (
            <li key={status}>
              <Link href={queueHref({ ...filters, status })} aria-current={filters.status === status ? 'page' : undefined}>
                {t('queue.withCount', { label: t(`statuses.${status}`), count: counts[status] })}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {ignored.length > 0 ? <p className="notice warn">{t('queue.ignored', { names: ignored.join(', ') })}</p> : null}
      <SearchScopeNotice actor={account} filters={filters} />

      <form method="get" action="/editor" aria-label={t('queue.filters')}>
        <div className="queue-search">
          <label htmlFor="f-q">{t('queue.search')}</label>
          <input id="f-q" name={QUEUE_PARAM.q} type="search" defaultValue={filters.q ?? ''} maxLength={QUEUE_SEARCH_MAX} aria-describedby="f-q-hint" autoComplete="off" />
          <button type="submit">{t('queue.searchButton')}</button>
          <p id="f-q-hint" className="field-hint">{t('queue.searchHint')}</p>
        </div>
        <details open={hasOtherFilters || undefined}>
          <summary>{t('queue.filters')}</summary>
          <div className="grid-2">
            <div>
              <label htmlFor="f-status">{t('queue.status')}</label>
              <select id="f-status" name={QUEUE_PARAM.status} defaultValue={filters.status ?? ''}>
                <Options placeholder={t('queue.anyStatus')} options={QUEUE_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-place">{t('queue.place')}</label>
              <select id="f-place" name={QUEUE_PARAM.placeId} defaultValue={filters.placeId ?? ''}>
                <Options placeholder={t('queue.anyPlace')} options={placeOptions.map((p) => ({ value: p.id, label: p.parentName ? `${p.name} — ${p.parentName}` : p.name }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-partner">{t('queue.partner')}</label>
              <input id="f-partner" name={QUEUE_PARAM.partner} type="text" defaultValue={filters.partner ?? ''} autoComplete="off" />
            </div>
            <div>
              <label htmlFor="f-claimed">{t('queue.claimed')}</label>
              <select id="f-claimed" name={QUEUE_PARAM.claim} defaultValue={filters.claim ?? ''}>
                <option value="">{t('queue.claimedAny')}</option>
                <option value="me">{t('queue.claimedMe')}</option>
                <option value="unclaimed">{t('queue.claimedNone')}</option>
                {listAssignableColleagues({ actor: account }).map((c) => (
                  <option key={c.id} value={`@${c.codeName}`}>
                    {c.codeName}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="f-reply">{t('queue.reply')}</label>
              <select id="f-reply" name={QUEUE_PARAM.reply} defaultValue={filters.reply ?? ''}>
                <option value="">{t('queue.replyAny')}</option>
                <option value="awaiting-me">{t('queue.replyAwaitingMe')}</option>
                <option value="partner">{t('queue.replyPartner')}</option>
              </select>
            </div>
            <div>
              <label htmlFor="f-from">{t('queue.from')}</label>
              <input id="f-from" name={QUEUE_PARAM.observedFromDate} type="date" defaultValue={filters.observedFromDate ?? ''} />
            </div>
            <div>
              <label htmlFor="f-to">{t('queue.to')}</label>
              <input id="f-to" name={QUEUE_PARAM.observedToDate} type="date" defaultValue={filters.observedToDate ?? ''} />
            </div>
            <div>
              <label htmlFor="f-agency">{t('queue.agency')}</label>
              <select id="f-agency" name={QUEUE_PARAM.agencyId} defaultValue={filters.agencyId ?? ''}>
                <Options placeholder={t('queue.anyAgency')} options={agencyOptions.map((a) => ({ value: a.id, label: a.name }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-vehicle">{t('queue.vehicleType')}</label>
              <select id="f-vehicle" name={QUEUE_PARAM.vehicleType} defaultValue={filters.vehicleType ?? ''}>
                <Options placeholder={t('queue.anyVehicleType')} options={VEHICLE_TYPES.map((v) => ({ value: v, label: t(`enums.vehicleTypes.${v}`) }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-category">{t('queue.goodsCategory')}</label>
              <select id="f-category" name={QUEUE_PARAM.goodsCategoryId} defaultValue={filters.goodsCategoryId ?? ''}>
                <Options placeholder={t('queue.anyGoodsCategory')} options={goodsCategoryOptions.map((c) => ({ value: c.id, label: c.name }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-reliability">{t('queue.reliability')}</label>
              <select id="f-reliability" name={QUEUE_PARAM.sourceReliability} defaultValue={filters.sourceReliability ?? ''}>
                <Options placeholder={t('queue.anyReliability')} options={SOURCE_RELIABILITIES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-credibility">{t('queue.credibility')}</label>
              <select id="f-credibility" name={QUEUE_PARAM.informationCredibility} defaultValue={filters.informationCredibility ?? ''}>
                <Options placeholder={t('queue.anyCredibility')} options={INFORMATION_CREDIBILITIES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
              </select>
            </div>
            <div>
              <label htmlFor="f-sort">{t('queue.sort')}</label>
              <select id="f-sort" name={QUEUE_PARAM.sort} defaultValue={filters.sort === defaultQueueSort(filters) ? '' : filters.sort}>
                {/* "" = the default order, so Enter in the search box from an unsorted queue ranks the hits. */}
                <option value="">{t('queue.sortDefault')}</option>
                <option value="relevance">{t('queue.sortRelevance')}</option>
                <option value="submitted">{t('queue.sortSubmitted')}</option>
                <option value="oldest">{t('queue.sortOldest')}</option>
                <option value="observed">{t('queue.sortObserved')}</option>
              </select>
            </div>
          </div>
          <p className="checkbox-row">
            <input id="f-vehicles" name={QUEUE_PARAM.hasVehicles} type="checkbox" value="1" defaultChecked={filters.hasVehicles} />
            <label htmlFor="f-vehicles">{t('queue.hasVehicles')}</label>
          </p>
          <p className="checkbox-row">
            <input id="f-goods" name={QUEUE_PARAM.hasGoods} type="checkbox" value="1" defaultChecked={filters.hasGoods} />
            <label htmlFor="f-goods">{t('queue.hasGoods')}</label>
          </p>
          <div className="row-actions">
            <button type="submit">{t('queue.apply')}</button>
            <Link className="button secondary" href={queueHref({ ...EMPTY_QUEUE_FILTERS })}>
              {t('queue.clear')}
            </Link>
          </div>
        </details>
      </form>

      <div className="queue-tools">
        <QueueKeys tableId={QUEUE_TABLE_ID} hint={t('queue.keyboardHint')} />
        {page.rows.length > 0 ? (
          <noscript>
            {isPageSelected ? (
              <>
                {t('queue.selectedAll')} <Link href={pageHref}>{t('queue.clearSelection')}</Link>
              </>
            ) : (
              <Link href={`${pageHref}${pageHref.includes('?') ? '&' : '?'}${SELECT_PAGE_PARAM}=page`}>{t('queue.selectAll')}</Link>
            )}
          </noscript>
        ) : null}
      </div>

      <div id={QUEUE_TABLE_ID} className="queue-table">
        <DataTable
          caption={t('queue.caption')}
          empty={t('queue.empty')}
          rows={page.rows}
          rowKey={(row) => `${row.id}:${row.version}`}
          columns={[
            {
              header: (
                <>
                  <span className="visually-hidden">{t('queue.colSelect')}</span>
                  <SelectAllBox tableId={QUEUE_TABLE_ID} label={t('queue.selectAll')} />
                </>
              ),
              className: 'cell-select',
              cell: (row) => (
                <input
                  type="checkbox"
                  name="reports"
                  value={`${row.id}:${row.version}`}
                  form="bulk-form"
                  defaultChecked={isPageSelected}
                  aria-label={t('queue.selectReport', { id: row.id })}
                />
              ),
            },
            {
              header: t('queue.colReport'),
              className: 'cell-text cell-title',
              cell: (row) => (
                <>
                  <Link href={reviewHref(row.id, { filters, at: { time: row.sortTime, id: row.id } })} title={row.title}>
                    #{row.id} {row.title}
                  </Link>
                  <span className="row-times">
                    {t('queue.times', {
                      observed: row.observedFrom === null ? '—' : timeView(row.observedFrom, row.timeZone).local,
                      submitted: row.submittedAt === null ? '—' : formatUtc(row.submittedAt),
                    })}
                  </span>
                  {row.snippet ? (
                    <p className="search-snippet">
                      <span className="search-field">{t('queue.matchIn', { field: t(`queue.searchFields.${row.snippet.field}`) })}</span>{' '}
                      {row.snippet.parts.map((part, i) => (part.isHit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                    </p>
                  ) : null}
                </>
              ),
            },
            { header: t('queue.colStatus'), className: 'cell-short', cell: (row) => <span className="status">{t(`statuses.${row.status}`)}</span> },
            { header: t('queue.colPartner'), className: 'cell-short', cell: (row) => <span title={row.partnerCodeName}>{row.partnerCodeName}</span> },
            { header: t('queue.colPlace'), className: 'cell-short', cell: (row) => <span title={row.placeNameEn ?? undefined}>{row.placeNameEn ?? ''}</span> },
            { header: t('queue.colClaimedBy'), className: 'cell-short', cell: (row) => (row.isClaimedByMe ? t('queue.you') : (row.claimedByCodeName ?? '')) },
            { header: t('queue.colUnread'), className: 'cell-short', cell: (row) => (row.isUnreadForMe ? <strong>{t('queue.unread')}</strong> : '') },
          ]}
        />
      </div>

      <nav aria-label={t('queue.pages')} className="row-actions">
        {page.previous ? (
          <>
            <Link href={queueHref(filters)}>{t('queue.first')}</Link>
            <Link href={queueHref(filters, { direction: 'before', at: page.previous })} rel="prev">
              {t('queue.previous')}
            </Link>
          </>
        ) : null}
        {page.next ? (
          <Link href={queueHref(filters, { direction: 'after', at: page.next })} rel="next">
            {t('queue.next')}
          </Link>
        ) : null}
      </nav>

      <BulkSelectedForm />

      <ExportLinks query={queueSearchParams(filters).toString()} />

      <section aria-labelledby="bulk-all-title">
        <h2 id="bulk-all-title">{t('bulk.allMatchingTitle')}</h2>
        <form method="get" action="/editor/bulk">
          {Object.entries(filterFields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <label htmlFor="bulk-all-action">{t('bulk.action')}</label>
          <select id="bulk-all-action" name="action" defaultValue="">
            <Options placeholder={t('bulk.chooseAction')} options={BULK_ACTIONS.map((a) => ({ value: a, label: t(`actions.${a}`) }))} />
          </select>
          <div className="row-actions">
            <button type="submit" className="secondary">
              {t('bulk.reviewAll', { count: matchingCount })}
            </button>
          </div>
        </form>
      </section>
    </NextIntlClientProvider>
  );
}
