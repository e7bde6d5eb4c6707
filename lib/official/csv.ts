/**
 * Reading an uploaded file of official monthly trade figures (issue 21 item 1; the format is in
 * docs/official-trade.md "The CSV format"). Pure: bytes in, rows or problems out; the data layer
 * (store.ts) decides what to keep. Parsing is csv-parse's (a byte-order mark, CRLF or LF line
 * ends, RFC 4180 quoting); this module checks the columns and every cell.
 *
 * A file is all or nothing: one bad row and no row is kept, with every problem listed (up to
 * MAX_PROBLEMS), each with its line and column, so the admin fixes the file once.
 */
import { parse } from 'csv-parse/sync';
import { formatDecimal, parseDecimal, type DecimalProblem } from './decimal';
import {
  isOfficialAuthority,
  isOfficialFlow,
  KOREAN_COLUMN_ALIASES,
  OFFICIAL_AUTHORITIES,
  OFFICIAL_COLUMNS,
  OFFICIAL_FLOWS,
  OFFICIAL_LIMITS,
  OFFICIAL_UNITS,
  REQUIRED_COLUMNS,
  UNIT_ALIASES,
  type OfficialAuthority,
  type OfficialColumn,
  type OfficialFlow,
  type OfficialUnit,
} from './format';

/** One row of a file, read and checked: values as canonical decimal text. */
export type OfficialRow = {
  /** Line of the file the row starts on (1 = the header). */
  line: number;
  /** 'YYYY-MM'. */
  month: string;
  authority: OfficialAuthority;
  flow: OfficialFlow;
  /** Decimal text as written, without a plus sign or leading zeros ("241.93"); ≥ 0. */
  value: string;
  unit: OfficialUnit;
  /** Year-on-year change in percent as decimal text, or null when the file gives none. */
  yoyChangePct: string | null;
  sourceName: string;
  /** An http(s) URL, or null when the file gives none (never made up: the sample quotes no URL). */
  sourceUrl: string | null;
};

/** What can be wrong with a file. `detail` is the offending text or number, shown to the admin. */
export type ImportProblemCode =
  | 'file_empty'
  | 'file_too_large'
  | 'not_utf8'
  | 'csv_malformed'
  | 'too_many_rows'
  | 'column_unknown'
  | 'column_missing'
  | 'column_duplicate'
  | 'cell_count'
  | 'month_invalid'
  | 'month_future'
  | 'month_too_early'
  | 'authority_unknown'
  | 'flow_unknown'
  | 'value_missing'
  | `value_${DecimalProblem}`
  | 'value_negative'
  | 'unit_unknown'
  | `yoy_${DecimalProblem}`
  | 'yoy_out_of_range'
  | 'source_name_missing'
  | 'source_name_too_long'
  | 'source_url_invalid'
  | 'source_url_credentials'
  | 'source_url_too_long'
  | 'row_repeated';

/** One problem: where (line, column; null when it is the whole file) and what. */
export type ImportProblem = { line: number | null; column: string | null; code: ImportProblemCode; detail?: string };

/** At most this many problems are listed (the count of the rest is said). */
export const MAX_PROBLEMS = 50;

/** The outcome of reading a file. `problemCount` counts every problem, listed or not. */
export type ParsedOfficialFile = { ok: true; rows: OfficialRow[] } | { ok: false; problems: ImportProblem[]; problemCount: number };

const fileProblem = (code: ImportProblemCode, detail?: string): ParsedOfficialFile => ({
  ok: false,
  problems: [{ line: null, column: null, code, ...(detail === undefined ? {} : { detail }) }],
  problemCount: 1,
});

/**
 * Check an upload's size before reading it: a file over OFFICIAL_LIMITS.fileBytes (1 MiB) is
 * refused from its size alone, so a 10 MB file costs nothing to refuse. `null` when it may be read.
 */
export function checkUploadSize(sizeBytes: number): ParsedOfficialFile | null {
  if (sizeBytes === 0) return fileProblem('file_empty');
  if (sizeBytes > OFFICIAL_LIMITS.fileBytes) return fileProblem('file_too_large', String(sizeBytes));
  return null;
}

/** A column name as the file writes it → the format's column, or null. English or a Korean alias. */
export function columnOf(header: string): OfficialColumn | null {
  const name = header.normalize('NFC').trim().toLowerCase();
  const english = name.replace(/[\s-]+/g, '_');
  if ((OFFICIAL_COLUMNS as readonly string[]).includes(english)) return english as OfficialColumn;
  return KOREAN_COLUMN_ALIASES[name.replace(/\s+/g, '')] ?? null;
}

/**
 * Read a file of official figures.
 * @param bytes the uploaded file (UTF-8, optional byte-order mark; refused over 1 MiB before decoding)
 * @param now the current time (a month after the current UTC month is refused as in the future)
 * @returns every row, checked, or the problems (nothing of a file with a problem is kept)
 */
export function parseOfficialCsv(bytes: Uint8Array, now: Date = new Date()): ParsedOfficialFile {
  const sizeRefusal = checkUploadSize(bytes.byteLength);
  if (sizeRefusal) return sizeRefusal;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fileProblem('not_utf8');
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, to: OFFICIAL_LIMITS.rows + 2 }) as unknown as typeof records;
  } catch (error) {
    const lines = (error as { lines?: unknown }).lines;
    return { ok: false, problems: [{ line: typeof lines === 'number' ? lines : null, column: null, code: 'csv_malformed', detail: csvErrorText(error) }], problemCount: 1 };
  }
  const [header, ...body] = records;
  if (!header || body.length === 0) return fileProblem('file_empty');
  if (body.length > OFFICIAL_LIMITS.rows) return fileProblem('too_many_rows', String(OFFICIAL_LIMITS.rows));

  const problems: ImportProblem[] = [];
  const columns: (OfficialColumn | null)[] = header.record.map(columnOf);
  header.record.forEach((name, i) => {
    const column = columns[i];
    if (column === null || column === undefined) problems.push({ line: 1, column: name, code: 'column_unknown', detail: name });
    else if (columns.indexOf(column) !== i) problems.push({ line: 1, column: name, code: 'column_duplicate', detail: name });
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required as OfficialColumn)) problems.push({ line: 1, column: required, code: 'column_missing', detail: required });
  }
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), problemCount: problems.length };

  const rows: OfficialRow[] = [];
  const firstLineOf = new Map<string, number>();
  const thisMonth = now.toISOString().slice(0, 7);
  for (const { record, info } of body) {
    // csv-parse counts the line a record ends on; a record without quoted line breaks is one line.
    const line = info.lines - (record.join(',').match(/\n/g)?.length ?? 0);
    if (record.length !== header.record.length) {
      problems.push({ line, column: null, code: 'cell_count', detail: `${record.length}/${header.record.length}` });
      continue;
    }
    const cells = new Map<OfficialColumn, string>();
    columns.forEach((column, i) => cells.set(column!, (record[i] ?? '').normalize('NFC').trim()));
    const row = readRow(cells, line, thisMonth, problems);
    if (!row) continue;
    const key = `${row.authority}|${row.month}|${row.flow}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) problems.push({ line, column: null, code: 'row_repeated', detail: String(first) });
    else firstLineOf.set(key, line);
    rows.push(row);
  }
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), problemCount: problems.length };
  return { ok: true, rows };
}

/** One row's cells → a row, or null with its problems pushed. */
function readRow(cells: Map<OfficialColumn, string>, line: number, thisMonth: string, problems: ImportProblem[]): OfficialRow | null {
  const before = problems.length;
  const cell = (column: OfficialColumn) => cells.get(column) ?? '';
  const report = (column: OfficialColumn, code: ImportProblemCode, detail?: string) =>
    problems.push({ line, column, code, ...(detail === undefined ? {} : { detail }) });

  const month = cell('month');
  const monthMatch = /^(\d{4})-(\d{2})$/.exec(month);
  if (!monthMatch || Number(monthMatch[2]) < 1 || Number(monthMatch[2]) > 12) report('month', 'month_invalid', month);
  else if (month > thisMonth) report('month', 'month_future', month);
  else if (month < OFFICIAL_LIMITS.firstMonth) report('month', 'month_too_early', month);

  const authority = cell('authority');
  if (!isOfficialAuthority(authority)) report('authority', 'authority_unknown', authority);
  const flow = cell('flow');
  if (!isOfficialFlow(flow)) report('flow', 'flow_unknown', flow);

  let value = '';
  const valueText = cell('value');
  if (valueText === '') report('value', 'value_missing');
  else {
    const parsed = parseDecimal(valueText);
    if (!parsed.ok) report('value', `value_${parsed.problem}`, valueText);
    else if (parsed.value.digits < 0n) report('value', 'value_negative', valueText);
    else value = formatDecimal(parsed.value);
  }

  const unitText = cell('unit').toLowerCase().replace(/\s+/g, ' ');
  const unit = (OFFICIAL_UNITS as readonly string[]).includes(unitText) ? (unitText as OfficialUnit) : UNIT_ALIASES[unitText];
  if (!unit) report('unit', 'unit_unknown', cell('unit'));

  let yoyChangePct: string | null = null;
  const yoyText = cell('yoy_change_pct').replace(/%$/, '').trim();
  if (yoyText !== '') {
    const parsed = parseDecimal(yoyText);
    if (!parsed.ok) report('yoy_change_pct', `yoy_${parsed.problem}`, cell('yoy_change_pct'));
    else {
      const pct = Number(formatDecimal(parsed.value));
      if (pct < OFFICIAL_LIMITS.yoyMinPct || pct > OFFICIAL_LIMITS.yoyMaxPct) report('yoy_change_pct', 'yoy_out_of_range', yoyText);
      else yoyChangePct = formatDecimal(parsed.value);
    }
  }

  const sourceName = cell('source_name');
  if (sourceName === '') report('source_name', 'source_name_missing');
  else if (sourceName.length > OFFICIAL_LIMITS.sourceNameChars) report('source_name', 'source_name_too_long', String(sourceName.length));

  const sourceUrlText = cell('source_url');
  let sourceUrl: string | null = null;
  if (sourceUrlText.length > OFFICIAL_LIMITS.sourceUrlChars) report('source_url', 'source_url_too_long', String(sourceUrlText.length));
  else if (sourceUrlText !== '') {
    if (!isHttpUrl(sourceUrlText)) report('source_url', 'source_url_invalid', sourceUrlText);
    else if (hasUserInfo(sourceUrlText)) report('source_url', 'source_url_credentials', sourceUrlText);
    else sourceUrl = sourceUrlText;
  }

  if (problems.length > before) return null;
  return { line, month, authority: authority as OfficialAuthority, flow: flow as OfficialFlow, value, unit: unit!, yoyChangePct, sourceName, sourceUrl };
}

function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Whether an http(s) address names a user or password before its host (`https://a:b@host/`). A
 * public source link never needs one, and `https://customs.gov.cn@evil.example/` reads as the
 * customs office while it leads elsewhere. Call only on text isHttpUrl accepted.
 */
function hasUserInfo(text: string): boolean {
  const authority = text.slice(text.indexOf('//') + 2).split(/[/?#\\]/, 1)[0] ?? '';
  return authority.includes('@');
}

/** csv-parse's error in a sentence of our own (its messages quote options and internals). */
function csvErrorText(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by something other than a comma or a line end';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows a closing quote';
    default:
      return 'the file is not comma-separated values as the format describes';
  }
}

const INTEGER = new Intl.NumberFormat('en');

/** The format's lists, for messages: "exports_from_kp_to_cn, imports_to_kp_from_cn or total". */
function choices(list: readonly string[]): string {
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}

/**
 * A problem in one English sentence for the admin (admin pages are English), beginning with where:
 * "Line 3, column “flow”: “kp_to_mars” is not a known flow; use …".
 */
export function describeImportProblem(problem: ImportProblem): string {
  const where =
    problem.line === null ? '' : problem.column === null ? `Line ${problem.line}: ` : `Line ${problem.line}, column “${problem.column}”: `;
  const d = problem.detail ?? '';
  const text = ((): string => {
    switch (problem.code) {
      case 'file_empty':
        return 'The file is empty or has only a header line: nothing to import.';
      case 'file_too_large':
        return `The file is ${INTEGER.format(Number(d))} bytes; the limit is ${INTEGER.format(OFFICIAL_LIMITS.fileBytes)} bytes (1 MiB). It was not read. Monthly figures fit in a few kilobytes: upload only the columns of the format, or split the file.`;
      case 'not_utf8':
        return 'The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.';
      case 'csv_malformed':
        return `The file could not be read as CSV: ${d}.`;
      case 'too_many_rows':
        return `The file has more than ${INTEGER.format(Number(d))} rows; split it into several files.`;
      case 'column_unknown':
        return `“${d}” is not a column of the format. The columns are ${OFFICIAL_COLUMNS.join(', ')} (or their Korean names, see the format).`;
      case 'column_missing':
        return `The column “${d}” is missing from the header line.`;
      case 'column_duplicate':
        return `The column “${d}” appears twice in the header line.`;
      case 'cell_count': {
        const [found, expected] = d.split('/');
        return `The row has ${found} cells; the header line has ${expected}.`;
      }
      case 'month_invalid':
        return `“${d}” is not a month; write it as YYYY-MM (e.g. 2018-06).`;
      case 'month_future':
        return `${d} is in the future.`;
      case 'month_too_early':
        return `${d} is before ${OFFICIAL_LIMITS.firstMonth}, the first month accepted.`;
      case 'authority_unknown':
        return `“${d}” is not a known reporting authority; use ${choices(OFFICIAL_AUTHORITIES)}.`;
      case 'flow_unknown':
        return `“${d}” is not a known flow; use ${choices(OFFICIAL_FLOWS)}.`;
      case 'value_missing':
        return 'The value is empty.';
      case 'value_not_a_number':
      case 'yoy_not_a_number':
        return `“${d}” is not a number; write digits with a point for decimals (e.g. 241.93).`;
      case 'value_thousands_separator':
      case 'yoy_thousands_separator':
        return `“${d}” has a thousands separator; write the number without one (e.g. 1234.5).`;
      case 'value_too_many_decimals':
      case 'yoy_too_many_decimals':
        return `“${d}” has more than ${OFFICIAL_LIMITS.decimals} digits after the point.`;
      case 'value_too_large':
      case 'yoy_too_large':
        return `“${d}” is too large to be a trade figure; check the unit.`;
      case 'value_negative':
        return `“${d}” is negative; a trade value is zero or more.`;
      case 'unit_unknown':
        return `“${d}” is not a known unit; use ${choices(OFFICIAL_UNITS)}.`;
      case 'yoy_out_of_range':
        return `A change of ${d} % is outside ${OFFICIAL_LIMITS.yoyMinPct} % to +${OFFICIAL_LIMITS.yoyMaxPct} %; check the figure (or leave the cell empty).`;
      case 'source_name_missing':
        return 'The source name is empty; every figure needs its source.';
      case 'source_name_too_long':
        return `The source name has ${d} characters; at most ${OFFICIAL_LIMITS.sourceNameChars}.`;
      case 'source_url_invalid':
        return `“${d}” is not an http(s) address; give the source’s address or leave the cell empty.`;
      case 'source_url_credentials':
        return `“${d}” names a user or password before its host (the part before “@”); give the source’s public address.`;
      case 'source_url_too_long':
        return `The source address has ${d} characters; at most ${OFFICIAL_LIMITS.sourceUrlChars}.`;
      case 'row_repeated':
        return `The same month, authority and flow is already on line ${d}; a file gives each figure once.`;
    }
  })();
  return `${where}${text}`;
}
