import { describe, expect, it } from 'vitest';
import type { ResolverOptions } from 'react-hook-form';
import { emptyGoodsRow, emptyVehicleRow, layoutReportRows, type ReportFormValues } from '@/lib/reports/form-values';
import { demoReportValues } from '@/lib/testing/reports';
import { checkForSubmit, resolveReport } from './validation';

const OPTIONS = { fields: {}, shouldUseNativeValidation: false, criteriaMode: 'all' } as ResolverOptions<ReportFormValues>;

/** The first demo report as the form lays it out: its rows, then the blank rows kept ready. */
function onPage(): ReportFormValues {
  return layoutReportRows(demoReportValues(0), []);
}

describe('resolveReport (the form as the partner types)', () => {
  it('finds nothing wrong with a complete report followed by blank rows the partner never touched', async () => {
    const values = onPage();
    expect(values.vehicles.at(-1)).toEqual(emptyVehicleRow());
    expect(values.goods.at(-1)).toEqual(emptyGoodsRow());
    const result = await resolveReport(values, undefined, OPTIONS);
    expect(result.errors).toEqual({});
    expect(checkForSubmit(values)).toBeNull();
  });

  it('puts a typed row’s message at its number on the page, and none on the blank rows around it', async () => {
    const values = onPage();
    values.vehicles = [emptyVehicleRow(), { ...values.vehicles[0]!, count: 'about 5' }, emptyVehicleRow(), emptyVehicleRow()];
    const result = await resolveReport(values, undefined, OPTIONS);
    const vehicles = result.errors.vehicles as unknown as Record<string, { count?: { message?: string } } | undefined>;
    expect(Object.keys(vehicles)).toEqual(['1']);
    expect(vehicles['1']?.count?.message).toBe('report.errors.countNotWholeNumber');
    expect(Object.keys(checkForSubmit(values)?.fieldErrors ?? {})).toEqual(['vehicles.1.count']);
  });
});
