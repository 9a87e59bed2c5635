import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/** A table read from an uploaded file: header row and data rows (numbered as the user sees them). */
export interface Table {
  headers: string[];
  rows: { row: number; cells: string[] }[];
  /** The file has rows after the {@link MAX_ROWS} that are read: the import says so. */
  moreRows: boolean;
}

/** Data rows read from one file. */
const MAX_ROWS = 5000;
/** A table of measures has a few dozen columns; more is not such a table (and costs per row). */
export const MAX_COLUMNS = 200;
/** Longest CSV record accepted (bytes): a row of a measures table, with long descriptions. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** A file that is not a table of measures by its size (the import says so, with the limit). */
export class TableTooLarge extends Error {
  constructor(readonly columns: number) {
    super(`the table has ${columns} columns (at most ${MAX_COLUMNS})`);
    this.name = 'TableTooLarge';
  }
}

/**
 * Most bytes an XLSX file may unpack to. A measures table of 5,000 rows unpacks to a few
 * megabytes; exceljs holds every cell of what it reads as objects (tens of bytes of heap per
 * byte of sheet), so this also bounds its memory.
 */
export const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;

/** An XLSX file that unpacks to more than {@link MAX_UNPACKED_BYTES} (a zip bomb, or no table of measures). */
export class FileTooLarge extends Error {
  constructor() {
    super(`the file unpacks to more than ${MAX_UNPACKED_BYTES} bytes`);
    this.name = 'FileTooLarge';
  }
}

/**
 * Unpacks every entry of a zip file as a stream and counts its bytes, stopping at the limit:
 * exceljs unpacks the whole file into memory, so 10 MB of zip that unpack to gigabytes (a zip
 * bomb) would take the server down. The sizes the file declares are not trusted (they can lie).
 * A file within the limit is unpacked twice (here, then by exceljs, which takes only the packed
 * file): for a measures table a few megabytes, against an unbounded allocation.
 */
async function checkUnpackedSize(content: Buffer): Promise<void> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(content);
  let total = 0;
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    await new Promise<void>((resolve, reject) => {
      const stream = file.nodeStream('nodebuffer');
      stream.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > MAX_UNPACKED_BYTES) {
          stream.pause();
          stream.removeAllListeners('data');
          reject(new FileTooLarge());
        }
      });
      stream.on('error', reject);
      stream.on('end', () => resolve());
    });
  }
}

/** Reads CSV (comma or semicolon separated, as Swedish spreadsheet programs write it). */
export function parseCsv(content: Buffer): Table {
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  // Without a `columns` option csv-parse returns string arrays.
  // Only the records that are read (header + MAX_ROWS, and one more to tell whether there are
  // more), each of a bounded size. Counted in records, not lines: a cell may hold line breaks.
  const records: unknown = parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    to: MAX_ROWS + 2,
    max_record_size: MAX_RECORD_BYTES,
  });
  if (!Array.isArray(records)) return { headers: [], rows: [], moreRows: false };
  const [headers = [], ...data] = records as string[][];
  if (headers.length > MAX_COLUMNS) throw new TableTooLarge(headers.length);
  return {
    headers: headers.map((header) => header.trim()),
    rows: data.slice(0, MAX_ROWS).map((cells, index) => ({ row: index + 2, cells: cells.slice(0, headers.length).map((cell) => cell.trim()) })),
    moreRows: data.length > MAX_ROWS,
  };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value && value.result !== undefined) return cellText(value.result);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

/** Reads the first worksheet of an XLSX file. */
export async function parseXlsx(content: Buffer): Promise<Table> {
  // exceljs is loaded on the first spreadsheet import only.
  await checkUnpackedSize(content);
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [], moreRows: false };
  // Every header cell is made for every row below: checked before any of it.
  if (sheet.columnCount > MAX_COLUMNS) throw new TableTooLarge(sheet.columnCount);
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    headers[column - 1] = cellText(cell.value).trim();
  });
  const rows: Table['rows'] = [];
  let moreRows = false;
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1 || moreRows) return;
    const cells = headers.map((_, index) => cellText(row.getCell(index + 1).value).trim());
    if (!cells.some((cell) => cell !== '')) return;
    if (rows.length < MAX_ROWS) rows.push({ row: number, cells });
    else moreRows = true;
  });
  return { headers: headers.map((header) => header ?? ''), rows, moreRows };
}
