/**
 * A small RFC 4180 reader for tests (Vitest and Playwright; never imported by the app): quoted
 * cells with doubled quotes, commas and line breaks inside quotes, CRLF or LF records. A leading
 * byte-order mark is the caller's to strip (the tests assert it is there).
 */

/** Every record of `text` as an array of cells (a final empty line is not a record). */
export function readCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i += 1;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

/** The records after the header line, each as `{ column: cell }`. */
export function readCsvObjects(text: string): Record<string, string>[] {
  const [header = [], ...rows] = readCsvRecords(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}
