import type { CSSProperties, Key, ReactNode } from 'react';

/** One column of a {@link DataTable}: its heading, and how a row fills its cell. */
export type DataColumn<Row> = {
  /** The column's heading (`<th scope="col">`). */
  header: ReactNode;
  /** What `row` shows in this column; `index` is the row's position in `rows`. */
  cell: (row: Row, index: number) => ReactNode;
  /** The column's cells name their row (`<th scope="row">`, e.g. a week or a category), not data. */
  isRowHeader?: boolean;
  /** Class of the column's cells (e.g. `cell-text`: a title that may wrap). */
  className?: string;
  /** Style of the column's cells (e.g. `{ whiteSpace: 'pre-wrap' }` for a note typed on several lines). */
  style?: CSSProperties;
  /** React key of the column where columns are built from a list (default: its position). */
  key?: Key;
};

/**
 * A table of rows, one column a field: the one shape of every list and report table on the
 * partner, editor and public pages (and the statistics). Horizontally scrollable on a narrow
 * screen (`table-scroll`), headings scoped for screen readers. The scrolling box can be focused
 * (`tabindex="0"`), so a keyboard can scroll it, and is a region named by `label` (else the
 * caption) for screen readers (issue 20 item 8; axe's scrollable-region-focusable). Takes what it shows as props and
 * does no data access, so it renders in server components and inside client forms (the editor's
 * preview of the public report) alike.
 *
 * With `empty` and no rows it shows `empty` as a paragraph instead of the table; without `empty`,
 * an empty table keeps its headings.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey = (_row, index) => index,
  caption,
  label,
  empty,
}: {
  columns: readonly DataColumn<Row>[];
  rows: readonly Row[];
  /** React key of a row (default: its position; give one where rows can be added or move). */
  rowKey?: (row: Row, index: number) => Key;
  /** The table's name for screen readers (a visually hidden caption). */
  caption?: string;
  /** The name of the scrolling region (default: `caption`); without either, the box is still focusable. */
  label?: string;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
}) {
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  const regionName = label ?? caption;
  return (
    <div className="table-scroll" tabIndex={0} role={regionName ? 'region' : undefined} aria-label={regionName}>
      <table>
        {caption === undefined ? null : <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, c) => (
              <th scope="col" key={column.key ?? c}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={rowKey(row, r)}>
              {columns.map((column, c) =>
                column.isRowHeader ? (
                  <th scope="row" key={column.key ?? c} className={column.className} style={column.style}>
                    {column.cell(row, r)}
                  </th>
                ) : (
                  <td key={column.key ?? c} className={column.className} style={column.style}>
                    {column.cell(row, r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
