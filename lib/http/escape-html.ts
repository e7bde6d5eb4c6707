/**
 * Escape text for HTML element content and quoted attribute values: `& < > " '` become entities.
 * For the few places that write HTML as strings rather than through React (the Atom feed's
 * type="html" fields, the sealed server's pages); docs/security/README.md "Input and output".
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
