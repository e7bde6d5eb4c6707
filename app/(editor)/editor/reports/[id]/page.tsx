import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getFormatter, getLocale, getMessages, getTranslations } from 'next-intl/server';
import { BorderMap } from '@/app/_components/border-map';
import { borderMapLabels } from '@/app/_components/border-map-labels';
import { DataTable } from '@/app/_components/data-table';
import { buildBorderMap } from '@/lib/map/border-map';
import { listMapGazetteer } from '@/lib/map/queries';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { listAssignableColleagues, markReviewRead } from '@/lib/review/assignment';
import type { DiffLine } from '@/lib/review/diff';
import { getReviewPage, type TimeView } from '@/lib/review/review-page';
import { PHOTO_EVENT_ACTIONS, WORKFLOW_ACTIONS } from '@/lib/lifecycle/workflow';
import { AssignForm } from '../../_components/assign-form';
import { DecisionForm, GradeForm } from '../../_components/decision-form';
import { MapOtherAgency } from '../../_components/map-other-agency';
import { ReportPhotos } from '../../_components/report-photos';
import { LinkForm, NearbyLinkForm, ThreadPostForm, UnlinkForm } from '../../_components/thread-forms';
import { nextInQueue } from '@/lib/review/queue-next';
import { canGrade, GRADE_EVENT_ACTION, parseQueueContext, queueContextParams, queueHref, reviewHref } from '@/lib/review/schema';

/** The report's number only: titles land in browser history, so no report content goes there. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: (await getTranslations('review'))('page.reportNumber', { id: /^\d{1,12}$/.test(id) ? id : '?' }) };
}

const DONE_KEYS = new Set(['claim', 'release', 'request_changes', 'verify', 'reject', 'reopen']);
/** Decisions after which the report leaves the editor's hands: the notice offers the next report. */
const TURN_DONE_KEYS = new Set(['release', 'request_changes', 'verify', 'reject']);
const PAGE_DONE_KEYS = new Set(['edit', 'noChange', 'link', 'unlink', 'note', 'message', 'assign', 'grade']);

/** A diff as a list: changed fields with before → after, rows added or removed. */
function DiffList({ lines, added, removed }: { lines: DiffLine[]; added: string; removed: string }) {
  return (
    <ul>
      {lines.map((line) => (
        <li key={line.path}>
          <strong>{line.label}</strong>:{' '}
          {line.kind === 'changed' ? (
            <>
              <del>{line.before || '∅'}</del> → <ins>{line.after || '∅'}</ins>
            </>
          ) : line.kind === 'added' ? (
            <>
              {added} <ins>{line.after}</ins>
            </>
          ) : (
            <>
              {removed} <del>{line.before}</del>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Time({ time }: { time: TimeView | null }) {
  if (!time) return <>—</>;
  return (
    <>
      <time dateTime={new Date(time.instantMs).toISOString()}>{time.local}</time> · {time.utc}
    </>
  );
}

/**
 * A long part of the review page folded under its heading (issue 19 item 12): a plain <details>,
 * so it opens and closes without scripts; `open` when it holds something new for this editor.
 */
function Fold({ id, title, open, children }: { id: string; title: React.ReactNode; open: boolean; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <details className="fold" open={open || undefined}>
        <summary>
          <h2 id={id}>{title}</h2>
        </summary>
        {children}
      </details>
    </section>
  );
}

/**
 * The review page (issue 19 item 12: the decision and the key facts first): the key facts (state,
 * grade, place, time window, counts, assignee, duplicate and nearby flags), the decisions the
 * workflow allows (each also "… and next"), then the report's long parts folded — open when they
 * hold something new for this editor: the report itself while nobody has taken it up, the
 * partner's reply or resubmission. Times are shown in the zone they were entered in and in UTC.
 * The queue the page was opened from travels in its URL (filters, order, the report's place:
 * lib/review/schema.ts QueueContext), so "Next report" and every form's answer honour it.
 */
export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireArea('editor');
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const result = getReviewPage({ actor: account, reportId: id });
  if (!result.ok) notFound();
  const { page } = result;
  const { report } = page;
  // Opening the page is reading it: the partner's news is no longer unread for its holder.
  const isNewForMe = markReviewRead({ actor: account, reportId: report.id });
  const [t, format] = await Promise.all([getTranslations('review'), getFormatter()]);
  const num = (value: number) => format.number(value);
  const done = typeof query.done === 'string' ? query.done : null;
  const doneMessage = done && DONE_KEYS.has(done) ? t(`done.${done}`) : done && PAGE_DONE_KEYS.has(done) ? t(`page.done.${done}`) : null;
  const decided = typeof query.decided === 'string' && /^\d{1,12}$/.test(query.decided) ? Number(query.decided) : null;
  const isLast = query.last === '1';
  const enumText = (group: string, value: string | null) => (value ? t(`enums.${group}.${value}`) : t('page.none'));
  const context = parseQueueContext(query);
  const queueText = queueContextParams(context).toString();
  const ref = { reportId: report.id, version: report.version, queue: queueText };
  const nextResult = nextInQueue({ actor: account, reportId: report.id, context });
  const next = nextResult.ok ? nextResult.next : null;
  const nextHref = next ? reviewHref(next.id, { filters: context.filters, at: next.at }) : null;
  const messages = pickMessages(await getMessages(), ['review', 'messages']);
  const linkedIds = new Set(page.links.map((l) => l.other.id));
  const partnerMessages = page.messages.filter((m) => !m.isInternal).length;
  const internalNotes = page.messages.length - partnerMessages;
  const unmappedAgencies = page.agencies.some((a) => a.agencyId === null && a.otherName);
  // The report's own text is new to the desk until someone takes it up, and again when resubmitted.
  const isReportNew = report.status === 'submitted' || isNewForMe || page.resubmission !== null;
  const nextLink = nextHref ? (
    <Link href={nextHref} rel="next">
      {t('page.nextReport')}
    </Link>
  ) : null;
  const [tMap, locale] = await Promise.all([getTranslations('map'), getLocale()]);
  const gazetteer = listMapGazetteer();
  const countryOf = (placeId: string | null) => gazetteer.find((p) => p.id === placeId)?.country ?? 'KP';
  const reviewMap = buildBorderMap({
    gazetteer,
    counts: page.nearby.map((n) => ({ placeId: n.placeId, country: countryOf(n.placeId), count: 1 })),
    highlightPlaceId: report.place?.id ?? null,
  });

  return (
    <NextIntlClientProvider messages={messages}>
      <nav aria-label={t('page.queueNav')} className="review-nav">
        <Link href={queueHref(context.filters)}>{t('page.backToQueue')}</Link>
        {nextLink ?? <span className="field-hint">{t('page.noNextReport')}</span>}
      </nav>
      {doneMessage ? (
        <div className="notice ok" role="status">
          <p>
            {decided !== null ? t('page.decidedReport', { id: decided, done: doneMessage }) : doneMessage}
            {isLast ? ` ${t('page.lastInQueue')}` : null}
          </p>
          {decided === null && nextLink && TURN_DONE_KEYS.has(done ?? '') ? <p>{nextLink}</p> : null}
        </div>
      ) : null}
      <h1>{report.title || t('page.reportNumber', { id: report.id })}</h1>
      {isNewForMe ? <p className="notice warn">{t('page.unreadNotice')}</p> : null}

      <section aria-labelledby="facts-title" className="key-facts">
        <h2 id="facts-title" className="visually-hidden">
          {t('page.keyFacts')}
        </h2>
        <dl>
          <div>
            <dt>{t('page.factStatus')}</dt>
            <dd>
              <span className="status">{t(`statuses.${report.status}`)}</span> {t('page.reportNumber', { id: report.id })} ·{' '}
              {t('page.version', { version: report.version })}
            </dd>
          </div>
          <div>
            <dt>{t('page.grade')}</dt>
            <dd>
              {report.grade ? (
                <>
                  <strong>
                    {report.grade.sourceReliability}
                    {report.grade.informationCredibility}
                  </strong>{' '}
                  — {t(`grades.${report.grade.sourceReliability}`)}; {t(`grades.${report.grade.informationCredibility}`)}
                  {report.grade.note ? `. ${report.grade.note}` : null}
                </>
              ) : (
                t('page.ungraded')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('page.place')}</dt>
            <dd>
              {report.place
                ? report.place.parent
                  ? t('page.placeParent', { place: `${report.place.nameEn} (${report.place.nameKo})`, parent: report.place.parent.nameEn })
                  : `${report.place.nameEn} (${report.place.nameKo})`
                : t('page.none')}{' '}
              · {enumText('precisions', report.placePrecision)}
            </dd>
          </div>
          <div>
            <dt>{t('page.factWindow')}</dt>
            <dd>
              <Time time={report.observedFrom} /> → <Time time={report.observedTo} /> ({report.timeZone})
            </dd>
          </div>
          <div>
            <dt>{t('page.factCounts')}</dt>
            <dd>
              {t('page.counts', {
                vehicles: page.vehicles.length,
                goods: page.goods.length,
                agencies: page.agencies.length,
                messages: partnerMessages,
                notes: internalNotes,
              })}
            </dd>
          </div>
          <div>
            <dt>{t('page.factPeople')}</dt>
            <dd>
              {t('page.byPartner', { partner: report.partnerCodeName })} ·{' '}
              {report.isClaimedByMe
                ? t('page.claimedByYou')
                : report.claimedByCodeName
                  ? t('page.claimedBy', { editor: report.claimedByCodeName })
                  : t('page.unclaimed')}
            </dd>
          </div>
          <div>
            <dt>{t('page.factFlags')}</dt>
            <dd>
              {page.possibleDuplicates.length > 0 ? (
                <a href="#duplicates-title">
                  <strong>{t('page.duplicatesFlag', { count: page.possibleDuplicates.length })}</strong>
                </a>
              ) : (
                t('page.duplicatesFlag', { count: 0 })
              )}{' '}
              · <a href="#nearby-title">{t('page.nearbyFlag', { count: page.nearby.length })}</a>
            </dd>
          </div>
        </dl>
        {report.status === 'rejected' ? (
          <p>
            <strong>{t('page.partnerReason')}:</strong> {report.partnerRejectionReason ?? t('page.noPartnerReason')}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t('page.decisions')}</h2>
        {page.decisions.length === 0 ? <p>{t('page.noDecisions')}</p> : null}
        <div className="decisions">
          {page.decisions.map((action) => (
            <DecisionForm key={action} {...ref} action={action} grade={report.grade} />
          ))}
        </div>
        <div className="grid-2">
          <AssignForm
            {...ref}
            me={{ id: account.id, codeName: account.codeName }}
            colleagues={listAssignableColleagues({ actor: account })}
            holderId={page.holderId}
          />
          {canGrade(report.status) ? <GradeForm {...ref} grade={report.grade} /> : null}
        </div>
        {page.isEditable ? (
          <p>
            <Link href={`/editor/reports/${report.id}/edit`}>{t('page.editReport')}</Link>
          </p>
        ) : null}
        {report.status === 'verified' || report.status === 'published' || report.status === 'retracted' ? (
          <p>
            <Link href={`/editor/reports/${report.id}/publish${queueText ? `?${queueText}` : ''}`}>{t('page.publishLink')}</Link>
          </p>
        ) : null}
      </section>

      {page.possibleDuplicates.length > 0 ? (
        <section aria-labelledby="duplicates-title" className="notice warn">
          <h2 id="duplicates-title">{t('page.duplicates')}</h2>
          <p>{t('page.duplicatesHint')}</p>
          <ul>
            {page.possibleDuplicates.map((d) => (
              <li key={d.id}>
                <Link href={`/editor/reports/${d.id}`}>{t('page.duplicateOf', { id: d.id, title: d.title })}</Link> — {d.placeNameEn ?? ''}, {d.observedFrom?.local ?? ''} ·{' '}
                {t(`statuses.${d.status}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {page.resubmission ? (
        <section aria-labelledby="resubmission-title">
          <h2 id="resubmission-title">{t('page.resubmission')}</h2>
          <p>{t('page.resubmissionAt', { time: page.resubmission.at.utc, previous: page.resubmission.previousAt.utc })}</p>
          {page.resubmission.lines.length === 0 ? (
            <p>{t('page.resubmissionSame')}</p>
          ) : (
            <DiffList lines={page.resubmission.lines} added={t('page.diffAdded')} removed={t('page.diffRemoved')} />
          )}
        </section>
      ) : null}

      <Fold id="what-title" title={t('page.what')} open={isReportNew}>
        <dl>
          <dt>{t('page.sourceType')}</dt>
          <dd>{enumText('sourceTypes', report.sourceType)}</dd>
          <dt>{t('page.narrative')}</dt>
          <dd className="narrative">{report.narrative || t('page.none')}</dd>
          <dt>{t('page.safetyNote')}</dt>
          <dd>{report.safetyNote || t('page.none')}</dd>
        </dl>
        <h3 id="when-title">{t('page.when')}</h3>
        <dl>
          <dt>{t('page.observedFrom')}</dt>
          <dd>
            <Time time={report.observedFrom} />
          </dd>
          <dt>{t('page.observedTo')}</dt>
          <dd>
            <Time time={report.observedTo} />
          </dd>
          <dt>{t('page.timeZone')}</dt>
          <dd>{report.timeZone}</dd>
          <dt>{t('page.timeNote')}</dt>
          <dd>{report.timeNote || t('page.none')}</dd>
          <dt>{t('page.submittedAt')}</dt>
          <dd>
            <Time time={report.submittedAt} />
          </dd>
        </dl>
        <h3 id="where-title">{t('page.where')}</h3>
        <dl>
          <dt>{t('page.placeDetail')}</dt>
          <dd>{report.placeDetail || t('page.none')}</dd>
          <dt>{t('page.precision')}</dt>
          <dd>{enumText('precisions', report.placePrecision)}</dd>
        </dl>
      </Fold>

      <Fold id="rows-title" title={t('page.rows', { vehicles: page.vehicles.length, goods: page.goods.length, agencies: page.agencies.length })} open={isReportNew || unmappedAgencies}>
        <h3 id="vehicles-title">{t('page.vehicles')}</h3>
        <DataTable
          empty={t('page.noRows')}
          rows={page.vehicles}
          columns={[
            { header: t('page.colType'), cell: (v) => enumText('vehicleTypes', v.vehicleType) },
            {
              header: t('page.colCount'),
              cell: (v) => (
                <>
                  {num(v.count)} {v.isEstimate ? t('page.estimate') : null}
                </>
              ),
            },
            { header: t('page.colDirection'), cell: (v) => enumText('directions', v.direction) },
            { header: t('page.colColours'), cell: (v) => v.colours },
            { header: t('page.colCargo'), cell: (v) => v.cargo },
          ]}
        />
        <h3 id="goods-title">{t('page.goods')}</h3>
        <DataTable
          empty={t('page.noRows')}
          rows={page.goods}
          columns={[
            { header: t('page.colCategory'), cell: (g) => g.categoryNameEn ?? g.categoryId },
            { header: t('page.colDescription'), cell: (g) => g.description },
            { header: t('page.colDirection'), cell: (g) => enumText('directions', g.direction) },
            { header: t('page.colQuantity'), cell: (g) => (g.quantity === null ? '' : `${num(g.quantity)} ${g.unit ?? ''}`) },
            { header: t('page.colValue'), cell: (g) => (g.value === null ? '' : `${num(g.value)} ${g.currency ?? ''}`) },
          ]}
        />
        <h3 id="agencies-title">{t('page.agencies')}</h3>
        <DataTable
          empty={t('page.noRows')}
          rows={page.agencies}
          rowKey={(a) => a.rowId}
          columns={[
            {
              header: t('page.colAgency'),
              cell: (a) => (
                <>
                  {a.agencyNameEn ?? (a.otherName ? t('page.otherAgency', { name: a.otherName }) : '')}
                  {a.agencyId === null && a.otherName ? <MapOtherAgency rowId={a.rowId} otherName={a.otherName} /> : null}
                </>
              ),
            },
            { header: t('page.colRole'), cell: (a) => enumText('agencyRoles', a.role) },
            { header: t('page.colNote'), cell: (a) => a.note },
          ]}
        />
      </Fold>

      <ReportPhotos actor={account} reportId={report.id} isOpen={isReportNew} />

      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t('page.thread')}</h2>
        {page.messages.length === 0 ? (
          <p>{t('page.threadEmpty')}</p>
        ) : (
          <details className="fold" open={isNewForMe || undefined}>
            <summary>{t('page.threadSummary', { messages: partnerMessages, notes: internalNotes })}</summary>
            <ol className="thread">
              {page.messages.map((m) => (
                <li key={m.id} className={m.isInternal ? 'internal-note' : undefined}>
                  <p>
                    <strong>
                      {m.isInternal ? `${t('page.internal')} · ` : null}
                      {m.authorKind === 'partner' ? `${t('page.fromPartner')} (${report.partnerCodeName})` : m.authorCodeName}
                    </strong>{' '}
                    · <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>
                  </p>
                  <p className="message-body">{m.body}</p>
                </li>
              ))}
            </ol>
          </details>
        )}
        <div className="grid-2">
          <ThreadPostForm {...ref} kind="message" />
          <ThreadPostForm {...ref} kind="note" />
        </div>
      </section>

      <section aria-labelledby="links-title">
        <h2 id="links-title">{t('page.links')}</h2>
        {page.links.length === 0 ? (
          <p>{t('page.linksEmpty')}</p>
        ) : (
          <ul>
            {page.links.map((l) => {
              const text = l.isOutgoing
                ? t('page.linkThis', { kind: t(`linkKinds.${l.kind}`), id: l.other.id })
                : t('page.linkOtherDir', { kind: t(`linkKinds.${l.kind}`), id: l.other.id });
              return (
                <li key={l.linkId}>
                  <Link href={`/editor/reports/${l.other.id}`}>{text}</Link>: {l.other.title} ({t(`statuses.${l.other.status}`)}) ·{' '}
                  <UnlinkForm {...ref} linkId={l.linkId} label={`${t('page.unlink')}: ${text}`} />
                </li>
              );
            })}
          </ul>
        )}
        <LinkForm {...ref} />
      </section>

      <section aria-labelledby="nearby-title">
        <h2 id="nearby-title">{t('page.nearby')}</h2>
        {/* Private page only: the exact place and the nearby reports' exact places (issue 20 item 4),
            folded like the page's other long parts (issue 19 item 12); the list below stays open. */}
        <details className="fold">
          <summary>{tMap('titleReview')}</summary>
          <BorderMap
            id="review-map"
            model={reviewMap}
            locale={locale === 'ko' ? 'ko' : 'en'}
            labels={borderMapLabels(tMap, {
              title: tMap('titleReview'),
              description: tMap('descriptionReview', { total: page.nearby.length }),
              highlighted: tMap('highlightedExact'),
            })}
          />
        </details>
        {page.nearby.length === 0 ? (
          <p>{t('page.nearbyEmpty')}</p>
        ) : (
          <ul>
            {page.nearby.map((n) => (
              <li key={n.id}>
                <Link href={`/editor/reports/${n.id}`}>
                  #{n.id} {n.title}
                </Link>{' '}
                — {n.placeNameEn ?? ''}, {n.observedFrom?.local ?? ''} · {n.partnerCodeName} · {t(`statuses.${n.status}`)}{' '}
                {linkedIds.has(n.id) ? <span className="status">{t('page.nearbyLinked')}</span> : <NearbyLinkForm {...ref} otherReportId={n.id} />}
              </li>
            ))}
          </ul>
        )}
      </section>

      <Fold id="edits-title" title={t('page.editsCount', { count: page.edits.length })} open={done === 'edit'}>
        {page.edits.length === 0 ? <p>{t('page.editsEmpty')}</p> : null}
        {page.edits.map((edit) => (
          <article key={edit.id} className="edit-diff">
            <h3>{t('page.editBy', { editor: edit.actorCodeName, time: edit.at.utc })}</h3>
            <DiffList lines={edit.lines} added={t('page.diffAdded')} removed={t('page.diffRemoved')} />
          </article>
        ))}
      </Fold>

      <section aria-labelledby="original-title">
        <h2 id="original-title">{t('page.original')}</h2>
        {page.originalSubmission ? (
          <details className="fold">
            <summary>{t('page.originalAt', { time: page.originalSubmission.at.utc })}</summary>
            <dl>
              {page.originalSubmission.view.fields.map((f) => (
                <div key={f.key}>
                  <dt>{f.label}</dt>
                  <dd>{f.value || '—'}</dd>
                </div>
              ))}
            </dl>
            {page.originalSubmission.view.sections.map((s) => (
              <div key={s.key}>
                <h3>{s.label}</h3>
                {s.rows.length === 0 ? (
                  <p>{t('page.noRows')}</p>
                ) : (
                  <ol>
                    {s.rows.map((row, i) => (
                      <li key={i}>{row}</li>
                    ))}
                  </ol>
                )}
              </div>
            ))}
          </details>
        ) : (
          <p>{t('page.originalMissing')}</p>
        )}
      </section>

      <Fold id="history-title" title={t('page.historyCount', { count: page.events.length })} open={false}>
        <DataTable
          empty={t('page.historyEmpty')}
          rows={page.events}
          rowKey={(e) => e.id}
          columns={[
            { header: t('page.colWhen'), cell: (e) => e.at.utc },
            { header: t('page.colWho'), cell: (e) => e.actorCodeName },
            {
              header: t('page.colAction'),
              cell: (e) =>
                e.action === GRADE_EVENT_ACTION
                  ? t('grading.event')
                  : (WORKFLOW_ACTIONS as readonly string[]).includes(e.action) || e.action === 'assign'
                  ? t(`actions.${e.action}`)
                  : (PHOTO_EVENT_ACTIONS as readonly string[]).includes(e.action)
                    ? t(`photoEvents.${e.action}`)
                    : e.action,
            },
            { header: t('page.colFromTo'), cell: (e) => `${e.fromStatus ? t(`statuses.${e.fromStatus}`) : '—'} → ${t(`statuses.${e.toStatus}`)}` },
            {
              header: t('page.colNote'),
              cell: (e) => (
                <>
                  {e.note}
                  {e.partnerNote ? (
                    <p>
                      {t('page.partnerReason')}: {e.partnerNote}
                    </p>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </Fold>
    </NextIntlClientProvider>
  );
}
