'use client';

import { useEffect, useRef, type MouseEvent } from 'react';
import { useTranslations } from 'next-intl';
import { fieldId, fieldNameOf, useMessageText, useReportFormKit, type ReportFormKit } from '@/app/_components/report-form/form-kit';
import { agencyLineOf } from '@/app/_components/report-form/row-sections';
import type { FormReferenceOption } from '@/app/_components/report-form/sections';
import { REPORT_ROW_SECTIONS, REPORT_SCALAR_FIELDS, type ReportRowSection } from '@/lib/reports/form-values';

/**
 * Top-level parts in the order ReportForm shows them (the summary lists problems in this order):
 * the form's fields in their order, the row sections before the safety note, which ends the form.
 */
const FORM_ORDER: readonly string[] = [...REPORT_SCALAR_FIELDS.filter((field) => field !== 'safetyNote'), ...Object.keys(REPORT_ROW_SECTIONS), 'safetyNote'];

function pathRank(path: string): number[] {
  const [top = '', index, field] = path.split('.');
  const section = top in REPORT_ROW_SECTIONS ? REPORT_ROW_SECTIONS[top as ReportRowSection] : null;
  const fieldRank = section && field ? (section.fields as readonly string[]).indexOf(field) : -1;
  return [FORM_ORDER.indexOf(top), index === undefined || index === 'root' ? -1 : Number(index), fieldRank];
}

/** Orders dotted form paths as the form shows their fields (top to bottom, rows in order). */
export function compareFormPaths(a: string, b: string): number {
  const [ra, rb] = [pathRank(a), pathRank(b)];
  for (let i = 0; i < Math.max(ra.length, rb.length); i += 1) {
    const d = (ra[i] ?? -1) - (rb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * How the summary names the field at `path`: 'Vehicle sighting 2 – How many', 'Title', 'Goods',
 * and an agency line by its agency, as the checklist labels it ('Ministry of State Security – Role').
 */
function describePath(kit: ReportFormKit, agencies: readonly FormReferenceOption[], path: string): string {
  const { texts } = kit;
  const [top = '', index, field] = path.split('.');
  if (top in REPORT_ROW_SECTIONS) {
    const section = top as ReportRowSection;
    if (index === undefined || field === undefined) return texts.section(section);
    const row =
      section === 'agencies'
        ? agencyLineOf(Number(index), agencies, String(kit.valueAt(`agencies.${index}.agencyId`) ?? ''), texts.otherAgency).name
        : texts.rowLegend(section, Number(index) + 1);
    return `${row} – ${texts.label(fieldNameOf(path))}`;
  }
  return texts.label(fieldNameOf(top));
}

/** A summary link moves the keyboard focus to its field (the browser only scrolls to it). */
function focusField(event: MouseEvent<HTMLAnchorElement>, path: string) {
  const target = document.getElementById(fieldId(path));
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: 'center' });
}

/**
 * The error summary at the top of the report form: a heading (i18n key), the form-wide messages,
 * and one link per field with its messages, in the form's order. Rendered always (nothing while
 * not shown), so it remembers which focus request it has served: each new `focusRequest` moves
 * the focus to the summary once it is on screen — never again while the partner types.
 */
export function ErrorSummary({
  isShown,
  heading,
  formErrors,
  fieldErrors,
  focusRequest,
  agencies,
}: {
  isShown: boolean;
  heading: string;
  formErrors: readonly string[];
  fieldErrors: Readonly<Record<string, readonly string[]>>;
  focusRequest: number;
  /** The agency checklist's managed agencies, in its order (an agency line is named by its agency). */
  agencies: readonly FormReferenceOption[];
}) {
  const t = useTranslations();
  const text = useMessageText();
  const kit = useReportFormKit();
  const summary = useRef<HTMLDivElement>(null);
  const servedRequest = useRef(0);
  // Focus the summary once it is on screen (after react-hook-form has its errors, one render later).
  useEffect(() => {
    if (focusRequest > servedRequest.current && summary.current) {
      servedRequest.current = focusRequest;
      summary.current.focus();
    }
  });
  const entries = Object.entries(fieldErrors).sort(([a], [b]) => compareFormPaths(a, b));
  if (!isShown || (entries.length === 0 && formErrors.length === 0)) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={summary} aria-labelledby="report-error-summary-title">
      <h2 id="report-error-summary-title">{t('report.form.summaryTitle')}</h2>
      <p>{text(heading)}</p>
      <ul>
        {formErrors.map((key) => (
          <li key={key}>{text(key)}</li>
        ))}
        {entries.map(([path, keys]) => (
          <li key={path}>
            <a href={`#${fieldId(path)}`} onClick={(event) => focusField(event, path)}>
              {describePath(kit, agencies, path)}: {keys.map(text).join(' ')}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
