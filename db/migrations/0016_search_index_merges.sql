-- The queue's search index stops merging its segments in the COMMIT that crosses FTS5's work
-- unit: those merges wrote 64 pages per index level at once and held the event loop 25-85 ms at
-- 100,000 documents. The background catch-up merges instead, a few pages per step
-- (db/search-index.ts mergeSearchIndex; docs/decisions/0018-search-index-merges-in-steps.md).
-- Kept in the table's own configuration (report_search_config), so it holds for every connection.
INSERT INTO report_search(report_search, rank) VALUES('automerge', 0);
