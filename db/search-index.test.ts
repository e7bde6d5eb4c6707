import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEARCH_COLUMNS } from '@/lib/review/search';
import { SEARCH_INDEX_COLUMNS, searchDocumentInsert } from './search-index';

/**
 * The search index's document is defined once (db/search-index.ts searchDocumentInsert); the
 * committed migration 0014 carries a copy that must never be edited (it is applied). These tests
 * hold the copy to the definition, so a change to one without the other fails here.
 */

const MIGRATION = path.join(__dirname, 'migrations', '0014_report_search.sql');

/** The migration's statements (drizzle's breakpoints), each without its comment lines. */
function migrationStatements(): string[] {
  return fs
    .readFileSync(MIGRATION, 'utf8')
    .split('--> statement-breakpoint')
    .map((part) => part.split('\n').filter((line) => !line.trimStart().startsWith('--')).join('\n').trim());
}

/** Runs of white space as one space, no trailing semicolon: what SQLite would read the same. */
function normalised(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
}

describe('the search index document has one definition', () => {
  it("migration 0014's backfill is the document statement for every report past draft", () => {
    const backfill = migrationStatements().filter((s) => s.startsWith('INSERT INTO report_search '));
    expect(backfill).toHaveLength(1);
    expect(normalised(backfill[0]!)).toBe(normalised(searchDocumentInsert("r.status <> 'draft'")));
  });

  it("the index's columns are the migration's, in its order, and the queue's search fields name them all", () => {
    const create = migrationStatements().find((s) => s.startsWith('CREATE VIRTUAL TABLE report_search'));
    const columns = /USING fts5\((.*), tokenize/.exec(create ?? '')?.[1]?.split(',').map((c) => c.trim());
    expect(columns).toEqual([...SEARCH_INDEX_COLUMNS]);
    expect(Object.values(SEARCH_COLUMNS)).toEqual([...SEARCH_INDEX_COLUMNS]);
  });

});
