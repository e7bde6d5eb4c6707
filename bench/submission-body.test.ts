import { describe, expect, it } from 'vitest';
import { parseReportFormData } from '@/lib/reports/form-data';
import { parseReportForSubmit } from '@/lib/reports/validate';
import { benchClientId, benchReportFields, multipartTemplate } from './submission-body';

async function formDataOf(head: Buffer, id: string, tail: Buffer, contentType: string): Promise<FormData> {
  return new Response(Buffer.concat([head, Buffer.from(id), tail]), { headers: { 'content-type': contentType } }).formData();
}

describe('the report the benchmark submits', () => {
  it('is read by the app’s FormData parser and passes full server validation with 4 vehicle and 4 goods rows', async () => {
    const fields: [string, string][] = [['$ACTION_ID_abc', ''], ['clientId', ''], ...benchReportFields(), ['intent', 'submit']];
    const { head, tail, contentType } = multipartTemplate(fields, '----bench');
    const id = benchClientId('0a1b2c3d', 42);
    const parsed = parseReportFormData(await formDataOf(head, id, tail, contentType));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.intent).toEqual({ kind: 'submit' });
    expect(parsed.values.clientId).toBe(id);
    expect(parsed.values.vehicles).toHaveLength(4);
    expect(parsed.values.goods).toHaveLength(4);
    const validated = parseReportForSubmit(parsed.values, Date.now());
    expect(validated.ok ? 'valid' : validated.fieldErrors).toBe('valid');
  });

  it('gives every request its own valid client id with the run tag in front', () => {
    const a = benchClientId('0a1b2c3d', 1);
    const b = benchClientId('0a1b2c3d', 2);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^0a1b2c3d-0000-4000-8000-0{11}1$/);
    expect(() => benchClientId('nothex!!', 1)).toThrow(RangeError);
  });

  it('keeps line breaks of multi-line values as CRLF, as browsers send them', async () => {
    const { head, tail, contentType } = multipartTemplate([['clientId', ''], ['narrative', 'one\ntwo']], 'b');
    const data = await formDataOf(head, benchClientId('00000000', 1), tail, contentType);
    expect(data.get('narrative')).toBe('one\r\ntwo');
  });
});
