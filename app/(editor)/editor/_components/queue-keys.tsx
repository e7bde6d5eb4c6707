'use client';

import { useEffect, useRef, useSyncExternalStore } from 'react';

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => {};

/** True once scripts run in the browser (false in the server's HTML). */
function useIsEnhanced(): boolean {
  return useSyncExternalStore(subscribeNothing, () => true, () => false);
}

/** Keys that type into this element (a text field, a drop-down, an editable area): never ours. */
function isTypingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

/** The queue table's rows, in page order. */
function rowsOf(tableId: string): HTMLTableRowElement[] {
  return [...document.querySelectorAll<HTMLTableRowElement>(`#${tableId} tbody tr`)];
}

/**
 * The queue's keyboard (issue 19 item 12): `j` / `k` move the focus to the next / previous row's
 * report link (a real focus, so a screen reader reads the row and the focus ring shows where it
 * is), `o` or Enter open the focused row's report, `x` ticks or unticks its checkbox for the bulk
 * actions. Keys typed into a field, or pressed with Ctrl, Alt or Meta, are left alone, and Tab
 * works as everywhere (nothing is trapped). The rows stay plain links and checkboxes: without
 * scripts nothing changes, and the hint is only shown once the keys work.
 */
export function QueueKeys({ tableId, hint }: { tableId: string; hint: string }) {
  const isReady = useIsEnhanced();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTypingInto(event.target)) return;
      if (!['j', 'k', 'o', 'x', 'Enter'].includes(event.key)) return;
      const rows = rowsOf(tableId);
      const current = rows.findIndex((row) => row.contains(document.activeElement));
      const row = rows[current];
      if (event.key === 'j' || event.key === 'k') {
        const target = current === -1 ? rows[0] : rows[Math.max(0, Math.min(rows.length - 1, current + (event.key === 'j' ? 1 : -1)))];
        const link = target?.querySelector<HTMLAnchorElement>('a[href]');
        if (!link) return;
        event.preventDefault();
        link.focus();
        link.scrollIntoView({ block: 'nearest' });
        return;
      }
      if (!row) return;
      if (event.key === 'x') {
        event.preventDefault();
        row.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
        return;
      }
      // Enter on the link opens it by itself; elsewhere in the row (its checkbox) it opens it too.
      if (event.key === 'Enter' && event.target instanceof HTMLAnchorElement) return;
      const link = row.querySelector<HTMLAnchorElement>('a[href]');
      if (!link) return;
      event.preventDefault();
      link.click();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [tableId]);
  return isReady ? <p className="field-hint keyboard-hint">{hint}</p> : null;
}

/**
 * The queue header's "select all on this page" box: ticks or unticks every row's checkbox, and
 * shows whether all, some (mixed) or none are ticked. Rendered once scripts run; without them the
 * page offers a plain link that reloads the page with every row ticked.
 */
export function SelectAllBox({ tableId, label }: { tableId: string; label: string }) {
  const isReady = useIsEnhanced();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!isReady) return;
    const table = document.getElementById(tableId);
    const boxes = () => [...(table?.querySelectorAll<HTMLInputElement>('tbody input[type="checkbox"]') ?? [])];
    const sync = () => {
      const all = boxes();
      const ticked = all.filter((b) => b.checked).length;
      if (!ref.current) return;
      ref.current.checked = all.length > 0 && ticked === all.length;
      ref.current.indeterminate = ticked > 0 && ticked < all.length;
    };
    sync();
    table?.addEventListener('change', sync);
    return () => table?.removeEventListener('change', sync);
  }, [isReady, tableId]);
  if (!isReady) return null;
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={label}
      onChange={(event) => {
        const table = document.getElementById(tableId);
        for (const box of table?.querySelectorAll<HTMLInputElement>('tbody input[type="checkbox"]') ?? []) box.checked = event.target.checked;
      }}
    />
  );
}
