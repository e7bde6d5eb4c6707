import { describe, expect, it } from 'vitest';
import { checkUploadSize, describeImportProblem, parseOfficialCsv, type ParsedOfficialFile } from './csv';

const NOW = new Date('2026-12-07T08:00:00Z');
const HEADER = 'month,authority,flow,value,unit,yoy_change_pct,source_name,source_url';
const GOOD = [
  HEADER,
  '2018-06,cn_customs,exports_from_kp_to_cn,12.955,usd_million,-92.0,"General Administration of Customs of the PRC, June 2018 report",https://example.org/customs/2018-06',
  '2018-06,cn_customs,imports_to_kp_from_cn,241.93,million USD,-37.5,GACC,',
];
const bytes = (text: string) => new TextEncoder().encode(text);
const read = (text: string) => parseOfficialCsv(bytes(text), NOW);
const messages = (parsed: ParsedOfficialFile) => (parsed.ok ? [] : parsed.problems.map(describeImportProblem));

describe('parseOfficialCsv: good files', () => {
  it('reads every row with canonical values', () => {
    const parsed = read(GOOD.join('\n'));
    expect(parsed).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          month: '2018-06',
          authority: 'cn_customs',
          flow: 'exports_from_kp_to_cn',
          value: '12.955',
          unit: 'usd_million',
          yoyChangePct: '-92.0',
          sourceName: 'General Administration of Customs of the PRC, June 2018 report',
          sourceUrl: 'https://example.org/customs/2018-06',
        },
        { line: 3, month: '2018-06', authority: 'cn_customs', flow: 'imports_to_kp_from_cn', value: '241.93', unit: 'usd_million', yoyChangePct: '-37.5', sourceName: 'GACC', sourceUrl: null },
      ],
    });
  });

  it('reads a file with a byte-order mark and Windows line ends the same', () => {
    const plain = read(GOOD.join('\n'));
    const windows = read(`\uFEFF${GOOD.join('\r\n')}\r\n`);
    expect(windows).toEqual(plain);
    expect(windows.ok && windows.rows[0]!.month).toBe('2018-06');
  });

  it('accepts Korean column names as aliases, in any order', () => {
    const korean = ['출처,월,보고기관,구분,금액,단위,전년동월대비(%),출처 URL', 'GACC,2018-06,cn_customs,total,217.158,usd_million,-55.5%,'].join('\r\n');
    const parsed = read(korean);
    expect(parsed.ok && parsed.rows[0]).toMatchObject({ month: '2018-06', flow: 'total', value: '217.158', yoyChangePct: '-55.5', sourceName: 'GACC', sourceUrl: null });
  });

  it('lets the change column be left out', () => {
    const parsed = read(['month,authority,flow,value,unit,source_name,source_url', '2018-06,cn_customs,total,217.158,usd_million,GACC,'].join('\n'));
    expect(parsed.ok && parsed.rows[0]!.yoyChangePct).toBeNull();
  });
});

describe('parseOfficialCsv: bad files get a clear message and no rows', () => {
  it('wrong columns: unknown and missing, named', () => {
    const parsed = read(['month,authority,flow,amount,unit,source_name,source_url', '2018-06,cn_customs,total,1,usd,GACC,'].join('\n'));
    expect(messages(parsed)).toEqual([
      'Line 1, column “amount”: “amount” is not a column of the format. The columns are month, authority, flow, value, unit, yoy_change_pct, source_name, source_url (or their Korean names, see the format).',
      'Line 1, column “value”: The column “value” is missing from the header line.',
    ]);
  });

  it('a Korean column name that is not an alias is refused like any unknown column', () => {
    expect(messages(read(['월,보고기관,흐름,수량,단위,출처,출처주소', '2018-06,cn_customs,total,1,usd,GACC,'].join('\n')))[0]).toContain('“수량” is not a column of the format');
  });

  it('unknown flow, text in a number, a thousands separator, each with line and column', () => {
    const parsed = read([HEADER, '2018-06,cn_customs,kp_to_mars,1,usd,,GACC,', '2018-07,cn_customs,total,about 200,usd,,GACC,', '2018-08,cn_customs,total,"1,234.5",usd,,GACC,'].join('\n'));
    expect(messages(parsed)).toEqual([
      'Line 2, column “flow”: “kp_to_mars” is not a known flow; use exports_from_kp_to_cn, imports_to_kp_from_cn or total.',
      'Line 3, column “value”: “about 200” is not a number; write digits with a point for decimals (e.g. 241.93).',
      'Line 4, column “value”: “1,234.5” has a thousands separator; write the number without one (e.g. 1234.5).',
    ]);
  });

  it('month, unit, change range, source and repeated rows', () => {
    const parsed = read(
      [
        HEADER,
        '2018-13,cn_customs,total,1,usd,,GACC,',
        '2027-01,cn_customs,total,1,usd,,GACC,',
        '2018-06,kotra,total,1,yuan,,GACC,',
        '2018-06,cn_customs,total,1,usd,-100.5,GACC,',
        '2018-07,cn_customs,total,1,usd,1000.01,,javascript:alert(1)',
        '2018-08,cn_customs,total,-1,usd,1000,GACC,',
        '2018-09,cn_customs,total,1,usd,,GACC,',
        '2018-09,cn_customs,total,2,usd,,GACC,',
        '2018-10,cn_customs,total,1,usd,,GACC,https://customs.gov.cn@evil.example/',
        '2018-11,cn_customs,total,1,usd,,GACC,http://user:pw@example.org/',
      ].join('\n'),
    );
    expect(messages(parsed)).toEqual([
      'Line 2, column “month”: “2018-13” is not a month; write it as YYYY-MM (e.g. 2018-06).',
      'Line 3, column “month”: 2027-01 is in the future.',
      'Line 4, column “authority”: “kotra” is not a known reporting authority; use cn_customs.',
      'Line 4, column “unit”: “yuan” is not a known unit; use usd, usd_thousand or usd_million.',
      'Line 5, column “yoy_change_pct”: A change of -100.5 % is outside -100 % to +1000 %; check the figure (or leave the cell empty).',
      'Line 6, column “yoy_change_pct”: A change of 1000.01 % is outside -100 % to +1000 %; check the figure (or leave the cell empty).',
      'Line 6, column “source_name”: The source name is empty; every figure needs its source.',
      'Line 6, column “source_url”: “javascript:alert(1)” is not an http(s) address; give the source’s address or leave the cell empty.',
      'Line 7, column “value”: “-1” is negative; a trade value is zero or more.',
      'Line 9: The same month, authority and flow is already on line 8; a file gives each figure once.',
      'Line 10, column “source_url”: “https://customs.gov.cn@evil.example/” names a user or password before its host (the part before “@”); give the source’s public address.',
      'Line 11, column “source_url”: “http://user:pw@example.org/” names a user or password before its host (the part before “@”); give the source’s public address.',
    ]);
  });

  it('a row with too few cells, and an unclosed quote', () => {
    expect(messages(read([HEADER, '2018-06,cn_customs,total,1'].join('\n')))).toEqual(['Line 2: The row has 4 cells; the header line has 8.']);
    expect(messages(read([HEADER, '2018-06,cn_customs,total,1,usd,,"GACC,'].join('\n')))[0]).toMatch(/^Line \d+: The file could not be read as CSV: a quoted cell is never closed\.$/);
  });

  it('a file that is not UTF-8 (Korean saved as CP949) is refused as such', () => {
    const cp949 = new Uint8Array([0xbf, 0xf9, 0x2c, 0x61, 0x0a]); // "월," in EUC-KR
    expect(messages(parseOfficialCsv(cp949, NOW))).toEqual(['The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.']);
  });

  it('an empty file and a header alone', () => {
    expect(messages(read(''))).toEqual(['The file is empty or has only a header line: nothing to import.']);
    expect(messages(read(`${HEADER}\r\n`))).toEqual(['The file is empty or has only a header line: nothing to import.']);
  });

  it('a 10 MB file is refused from its size alone, before any byte is decoded', () => {
    const tenMegabytes = 10 * 1000 * 1000;
    expect(messages(checkUploadSize(tenMegabytes)!)).toEqual([
      'The file is 10,000,000 bytes; the limit is 1,048,576 bytes (1 MiB). It was not read. Monthly figures fit in a few kilobytes: upload only the columns of the format, or split the file.',
    ]);
    // The parser refuses the same from the length of the bytes: a file of 10 MB of invalid UTF-8
    // would otherwise say "not UTF-8", which shows the bytes were never decoded.
    const parsed = parseOfficialCsv(new Uint8Array(tenMegabytes).fill(0xff), NOW);
    expect(messages(parsed)[0]).toMatch(/^The file is 10,000,000 bytes/);
    expect(checkUploadSize(1024 * 1024)).toBeNull();
  });
});
