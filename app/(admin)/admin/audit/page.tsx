import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { AUDIT_KINDS } from '@/lib/audit/record';
import { listAuditActors, listAuditEvents, type AuditFilters } from '@/lib/accounts/audit-log';
import { formatUtc } from '../_components/format';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('common.nav'))('auditLog') };
}

function queryOf(filters: AuditFilters, before?: number): string {
  const q = new URLSearchParams();
  if (filters.actor !== undefined) q.set('actor', String(filters.actor));
  if (filters.kind) q.set('kind', filters.kind);
  if (filters.from) q.set('from', filters.from);
  if (filters.to) q.set('to', filters.to);
  if (before) q.set('before', String(before));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Audit log: sign-ins, failed sign-ins (repeats collapsed: "12 failed sign-ins 20:01–20:09"),
 * account, role and 2FA changes, publications and retractions, list changes — newest first, filtered by actor, kind and UTC dates (a GET form, so
 * filters can be bookmarked and work without JavaScript), 50 a page.
 */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea('admin');
  const tNav = await getTranslations('common.nav');
  const tDesk = await getTranslations('desk.auditExport');
  const params = await searchParams;
  const raw = { actor: first(params.actor), kind: first(params.kind), from: first(params.from), to: first(params.to), before: first(params.before) };
  const result = listAuditEvents({ actor, filters: raw });
  const actors = listAuditActors({ actor });
  if (!result.ok || !actors.ok) throw new Error('audit log refused an admin');
  const f = result.filters;
  return (
    <>
      <h1>{tNav('auditLog')}</h1>
      <form method="get" action="/admin/audit" className="audit-filters">
        <fieldset>
          <legend>Filter</legend>
          <div className="grid-2">
            <div>
              <label htmlFor="audit-actor">Actor</label>
              <select id="audit-actor" name="actor" defaultValue={f.actor === undefined ? '' : String(f.actor)}>
                <option value="">(anyone)</option>
                <option value="anonymous">(no account: failed sign-ins, scripts)</option>
                {actors.actors.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.codeName}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="audit-kind">Kind</label>
              <select id="audit-kind" name="kind" defaultValue={f.kind ?? ''}>
                <option value="">(any)</option>
                {AUDIT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="audit-from">From (UTC date)</label>
              <input id="audit-from" name="from" type="date" defaultValue={f.from ?? ''} />
            </div>
            <div>
              <label htmlFor="audit-to">To (UTC date, inclusive)</label>
              <input id="audit-to" name="to" type="date" defaultValue={f.to ?? ''} />
            </div>
          </div>
          <div className="row-actions">
            <button type="submit">Show</button>
            <Link className="button secondary" href="/admin/audit">
              Clear filters
            </Link>
          </div>
        </fieldset>
      </form>
      {result.events.length === 0 ? (
        <p className="notice">No events match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Actor</th>
                <th scope="col">Account</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {result.events.map((e) => (
                <tr key={e.id}>
                  <td>{e.count > 1 && e.lastAt ? formatUtcRange(e.createdAt, e.lastAt) : formatUtc(e.createdAt)}</td>
                  <td>{e.count > 1 ? `${e.count} failed sign-ins` : e.kind.replaceAll('_', ' ')}</td>
                  <td>{e.actorCodeName ?? '—'}</td>
                  <td>{e.targetCodeName ?? '—'}</td>
                  <td>{e.detail ? <AuditDetail detail={e.detail} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={`/admin/audit/export${queryOf({ ...f, before: undefined })}`} download>
          {tDesk('download')}
        </a>{' '}
        {tDesk('intro')}
      </p>
      <nav aria-label="Pages" className="row-actions">
        {f.before ? <Link href={`/admin/audit${queryOf(f)}`}>Newest</Link> : null}
        {result.olderThan ? <Link href={`/admin/audit${queryOf(f, result.olderThan)}`}>Older events</Link> : null}
      </nav>
    </>
  );
}

/**
 * A collapsed row's span (issue 16 item 8): "2026-03-01 20:01–20:09 UTC", or both full times when
 * the span crosses midnight (UTC).
 */
function formatUtcRange(first: Date, last: Date): string {
  const [from, to] = [formatUtc(first), formatUtc(last)];
  return from.slice(0, 10) === to.slice(0, 10) ? `${from.slice(0, 16)}–${to.slice(11)}` : `${from} – ${to}`;
}

/** An audit event's detail as "name: value" lines (ids, roles, counts; never secrets by rule). */
function AuditDetail({ detail }: { detail: unknown }) {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return <code>{JSON.stringify(detail)}</code>;
  const entries = Object.entries(detail as Record<string, unknown>);
  return (
    <ul className="plain-list">
      {entries.map(([name, value]) => (
        <li key={name}>
          {name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase()}:{' '}
          {typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : <code>{JSON.stringify(value)}</code>}
        </li>
      ))}
    </ul>
  );
}
