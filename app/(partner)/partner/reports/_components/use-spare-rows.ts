'use client';

import { useEffect } from 'react';
import type { UseFieldArrayReturn, UseFormReturn } from 'react-hook-form';
import { emptyGoodsRow, emptyVehicleRow, isEmptyRow, REPORT_ROW_SECTIONS, type ReportFormValues } from '@/lib/reports/form-values';

type RowArrays = {
  vehicles: UseFieldArrayReturn<ReportFormValues, 'vehicles'>;
  goods: UseFieldArrayReturn<ReportFormValues, 'goods'>;
};

/** Blank rows kept at the end of a section while scripts run: one is enough, another appears as it is filled. */
const SPARE_ROWS_WITH_SCRIPTS = 1;

/**
 * Scripts on: keeps a blank vehicle and goods row at the end of their sections as the partner fills
 * them in (a blank row appears as the last one gets a value), so rows are never added one press at
 * a time; blank rows are left out on submit (lib/reports/form-data.ts withoutEmptyRows). The page
 * starts with SPARE_ROWS blank rows (for the form without scripts); this only ever adds. Focus
 * stays where the partner types.
 */
export function useSpareRows(form: UseFormReturn<ReportFormValues>, rowArrays: RowArrays): void {
  useEffect(() => {
    const topUp = () => {
      for (const section of ['vehicles', 'goods'] as const) {
        const rows = form.getValues(section);
        let trailingEmpty = 0;
        for (let i = rows.length - 1; i >= 0 && isEmptyRow(section, rows[i] ?? emptyVehicleRow()); i -= 1) trailingEmpty += 1;
        if (trailingEmpty >= SPARE_ROWS_WITH_SCRIPTS || rows.length >= REPORT_ROW_SECTIONS[section].maxRows) continue;
        if (section === 'vehicles') rowArrays.vehicles.append(emptyVehicleRow(), { shouldFocus: false });
        else rowArrays.goods.append(emptyGoodsRow(), { shouldFocus: false });
      }
    };
    return form.subscribe({ name: ['vehicles', 'goods'], formState: { values: true }, callback: topUp });
    // The field arrays' append is stable for the form's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
