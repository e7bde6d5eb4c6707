/** "2026-03-01 10:00 UTC" — admin pages show instants in UTC, unambiguous for every admin. */
export function formatUtc(date: Date | null | undefined): string {
  if (!date) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
