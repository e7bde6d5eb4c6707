/**
 * The Atom feed against RFC 4287's requirements (issue 20 item 6), read back with an XML parser:
 * §4.1.1 atom:feed has atom:author, atom:id, atom:title, atom:updated; §4.1.2 each atom:entry has
 * atom:id, atom:title, atom:updated; a retraction updates its entry (same id, later updated, the
 * notice as content) instead of dropping it; the feed takes the filters of /reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { xml2js, type Element } from 'xml-js';
import { filtersOf, publishDemoReport, TEST_FEED_LABELS, publishingFixture } from '@/lib/testing/reports';

let db: ReturnType<typeof publishingFixture>;
let publishing: typeof import('./publish');
let exportsModule: typeof import('./exports');

const ORIGIN = 'https://reports.example.org';
const ATOM = 'http://www.w3.org/2005/Atom';
const LABELS = TEST_FEED_LABELS;

beforeAll(async () => {
  db = publishingFixture();
  publishing = await import('./publish');
  exportsModule = await import('./exports');
});

let clock = Date.UTC(2019, 5, 1);
function publishNew(placeId: string, title: string) {
  clock += 60_000;
  return publishDemoReport(db, { overrides: { placeId, title }, now: clock });
}

const children = (element: Element | undefined, name: string) => (element?.elements ?? []).filter((e) => e.type === 'element' && e.name === name);
const child = (element: Element | undefined, name: string) => children(element, name)[0];
const text = (element: Element | undefined) => (element?.elements ?? []).map((e) => e.text ?? e.cdata ?? '').join('');

/** Parse the feed; throws on XML that is not well-formed. */
function parseFeed(xml: string) {
  const feed = child(xml2js(xml, { compact: false }) as Element, 'feed');
  if (!feed) throw new Error('no atom:feed');
  const entries = children(feed, 'entry').map((entry) => ({
    id: text(child(entry, 'id')),
    title: text(child(entry, 'title')),
    updated: text(child(entry, 'updated')),
    content: text(child(entry, 'content')),
    summary: text(child(entry, 'summary')),
  }));
  return { feed, entries };
}

describe('Atom feed (RFC 4287)', () => {
  it('has the feed-level elements a strict validator requires, and each entry its id, title and updated', () => {
    publishNew('kp-hyesan', 'Trucks at the river');
    const { feed, entries } = parseFeed(exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'en', labels: LABELS }));
    expect(feed.attributes?.xmlns).toBe(ATOM);
    expect(text(child(child(feed, 'author'), 'name'))).toBe('Field Reports editors');
    expect(text(child(feed, 'id'))).toBe(`${ORIGIN}/reports`);
    expect(text(child(feed, 'title'))).toBe('Field Reports');
    expect(text(child(feed, 'updated'))).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(children(feed, 'link').some((l) => l.attributes?.rel === 'self')).toBe(true);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.id).toMatch(new RegExp(`^${ORIGIN}/reports/[A-Za-z0-9_-]{16}$`));
      expect(entry.title).not.toBe('');
      expect(Number.isNaN(Date.parse(entry.updated))).toBe(false);
    }
    // The feed's updated is its newest entry's.
    expect(text(child(feed, 'updated'))).toBe(entries.map((e) => e.updated).sort().at(-1));
  });

  it('keeps a retracted entry under the same id with a later updated and the notice as content', () => {
    const published = publishNew('kp-musan', 'Boats at the landing');
    const before = parseFeed(exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'en', labels: LABELS })).entries;
    const id = `${ORIGIN}/reports/${published.publicId}`;
    const original = before.find((e) => e.id === id);
    expect(original?.title).toBe('Boats at the landing');

    clock += 3_600_000;
    const retracted = publishing.retractReport({ actor: db.editor, reportId: published.reportId, expectedVersion: published.version, reason: 'The source withdrew it.', now: clock });
    expect(retracted.ok).toBe(true);

    const { feed, entries } = parseFeed(exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'en', labels: LABELS }));
    const updated = entries.filter((e) => e.id === id);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ title: 'Retracted report', content: 'Retracted on 2019-06-01. Reason: The source withdrew it.' });
    expect(Date.parse(updated[0]!.updated)).toBeGreaterThan(Date.parse(original!.updated));
    expect(entries[0]?.id).toBe(id); // newest update first
    expect(text(child(feed, 'updated'))).toBe(updated[0]!.updated);
    expect(JSON.stringify(entries)).not.toContain('Boats at the landing');
  });

  it('takes the filters of /reports: a filtered feed has its own id and only matching publications', () => {
    const yanggang = publishNew('kp-hyesan', 'Filtered: Yanggang');
    const hamgyong = publishNew('kp-hoeryong', 'Filtered: North Hamgyong');
    const { feed, entries } = parseFeed(exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'en', labels: LABELS, filters: filtersOf('place=kp-north-hamgyong') }));
    expect(text(child(feed, 'id'))).toBe(`${ORIGIN}/reports?place=kp-north-hamgyong`);
    const self = children(feed, 'link').find((l) => l.attributes?.rel === 'self');
    expect(self?.attributes?.href).toBe(`${ORIGIN}/feed.xml?place=kp-north-hamgyong`);
    const ids = entries.map((e) => e.id);
    expect(ids).toContain(`${ORIGIN}/reports/${hamgyong.publicId}`);
    expect(ids).not.toContain(`${ORIGIN}/reports/${yanggang.publicId}`);
  });
});
