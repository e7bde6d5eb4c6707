/**
 * The free text of report rows that a publication shows (issue 19 item 10): which parts, and the
 * field name each goes by on the publish form and in the leak flags (leak-check.ts). Pure and
 * tiny, so the publish form can import it without the leak check itself.
 */

/** The free-text parts of a report row that a publication shows, by row kind (snapshot.ts buildSnapshot). */
export const PUBLISHED_ROW_TEXTS = {
  vehicleRows: ['colours', 'cargo'],
  goodsRows: ['description', 'unit'],
  agencyRows: ['otherName'],
} as const;

/** The field name of one published row text: `vehicleRows-<position>-cargo`, `agencyRows-<position>-otherName` … */
export function rowTextField(rows: keyof typeof PUBLISHED_ROW_TEXTS, position: number, part: string): string {
  return `${rows}-${position}-${part}`;
}

