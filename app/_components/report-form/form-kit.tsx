'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import type { REPORT_ROW_SECTIONS, REPORT_SCALAR_FIELDS, ReportRowSection } from '@/lib/reports/form-values';
import { isReportMessageKey, reportMessageValues } from '@/lib/reports/messages';

/**
 * The report form's shared kit (the partner's form and the editor's correction form): what its
 * sections and fields need from the form that uses them, passed down once through a context.
 * Shared UI: it takes values and callbacks, and reaches no data layer.
 */

/** A field of the report without its row number: 'title', 'vehicles.count', 'agencies.note'. */
export type ReportFieldName =
  | (typeof REPORT_SCALAR_FIELDS)[number]
  | { [S in ReportRowSection]: `${S}.${(typeof REPORT_ROW_SECTIONS)[S]['fields'][number]}` }[ReportRowSection];

/** The headed parts of the form: the three top sections, the row sections, and the safety note. */
export type ReportFormSection = 'when' | 'where' | 'what' | ReportRowSection | 'safety';

/** Lists whose values are shown through a label (the enums of lib/enums.ts). */
export type ReportOptionGroup = 'timeZone' | 'placePrecision' | 'sourceType' | 'vehicleType' | 'direction' | 'currency' | 'agencyRole';

/**
 * The words of one form. The partner's form speaks to the partner (report.form.*), the editor's
 * to the editor (review.edit.*); the structure is the same.
 */
export type ReportFormTexts = {
  section: (section: ReportFormSection) => string;
  label: (field: ReportFieldName) => string;
  /** A hint shown under the label, or null for none. */
  hint: (field: ReportFieldName) => string | null;
  option: (group: ReportOptionGroup, value: string) => string;
  /** The agency list's last choice: an agency not in the list. */
  otherAgency: string;
  /** The empty first choice of a select. */
  choose: string;
  /** Hidden words read after a required field's visible " *"; null: no marks at all. */
  required: string | null;
  /** Legend of row `n` (1-based). */
  rowLegend: (section: ReportRowSection, n: number) => string;
  addRow: (section: ReportRowSection) => string;
  removeRow: (section: ReportRowSection, n: number) => string;
  /** Said in a row section without rows, or null for nothing. */
  noRows: (section: ReportRowSection) => string | null;
};

/** How a control joins the form: its name, and react-hook-form's wiring when scripts enhance it. */
export type ReportControlRegistration = {
  name: string;
  ref?: (instance: HTMLElement | null) => void;
  onChange?: (event: { target: unknown; type?: unknown }) => unknown;
  onBlur?: (event: { target: unknown; type?: unknown }) => unknown;
};

/** What a form gives its sections and fields. Paths are dotted form paths ('vehicles.0.count'). */
export type ReportFormKit = {
  texts: ReportFormTexts;
  /** Message keys to show beside the field at `path` (translated by the field). */
  errorsAt: (path: string) => readonly string[];
  /** The value the field at `path` starts with. */
  valueAt: (path: string) => unknown;
  register: (path: string) => ReportControlRegistration;
  /**
   * Sets the value at `path` when a control the form does not register changes (the agency
   * checklist's boxes: the agency's id when ticked, '' when not). Absent: nothing to tell.
   */
  setValue?: (path: string, value: string) => void;
  /** The control to focus when the page arrives (a round trip without scripts), else null. */
  focusPath: string | null;
};

const KitContext = createContext<ReportFormKit | null>(null);

/** Gives `kit` to every section and field inside. */
export function ReportFormKitProvider({ kit, children }: { kit: ReportFormKit; children: ReactNode }) {
  return <KitContext.Provider value={kit}>{children}</KitContext.Provider>;
}

/** The kit of the enclosing form; throws outside a {@link ReportFormKitProvider} (a bug). */
export function useReportFormKit(): ReportFormKit {
  const kit = useContext(KitContext);
  if (kit === null) throw new Error('No ReportFormKitProvider');
  return kit;
}

/** The HTML id of a form path: 'vehicles.1.count' → 'f-vehicles-1-count'. */
export function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

/** A form path without its row number: 'vehicles.1.count' → 'vehicles.count'. */
export function fieldNameOf(path: string): ReportFieldName {
  const [top = '', , field] = path.split('.');
  return (field === undefined ? top : `${top}.${field}`) as ReportFieldName;
}

/** Translates a message key (a report error with its static placeholders, or any other key). */
export function useMessageText(): (key: string) => string {
  const t = useTranslations();
  return (key) => (isReportMessageKey(key) ? t(key, reportMessageValues(key)) : t(key));
}
