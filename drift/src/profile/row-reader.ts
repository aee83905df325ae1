/**
 * Streaming reader of a sample file (CSV with a header row, or JSONL with one object per
 * line) into columnar batches of typed values, for the profile builder and offline drift
 * checks. Only the requested columns are read; any other column is ignored.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CsvError } from 'csv-parse';
import type { ColumnRequest } from './column-request';
import { quote, type CellSink } from './csv-cells';
import { readCsv } from './csv-reader';

/** The values of one column in a batch: NaN marks a missing number, null a missing category. */
export type ColumnValues =
  | { readonly type: 'numeric'; readonly values: Float64Array }
  | { readonly type: 'categorical'; readonly values: readonly (string | null)[] };

/** Consecutive rows of the file, column by column; each batch owns its arrays, so they may be kept. */
export interface RowBatch {
  /** Rows in the batch; every column holds exactly this many values. */
  readonly size: number;
  /** One entry per requested column, in request order; undefined for an optional column the file lacks. */
  readonly columns: readonly (ColumnValues | undefined)[];
}

/** What a whole read saw. */
export interface ReadSummary {
  /** Data rows read (blank lines are skipped). */
  readonly rows: number;
  /** Per requested column: whether the file has it (CSV: in the header; JSONL: in the first line, see readRows). */
  readonly present: readonly boolean[];
}

/** Tuning of a read. */
export interface ReadOptions {
  /** Rows per batch; the last batch may hold fewer. */
  readonly batchSize?: number;
}

/** Rows per batch by default: big enough to amortise the callback, small enough to stay in cache (50 columns ≈ 1.6 MB). */
export const DEFAULT_BATCH_ROWS = 4096;

/** Whether a path names a file readRows can read (`.csv`, `.jsonl` or `.ndjson`). */
export function isRowFile(file: string): boolean {
  return rowFormat(file) !== undefined;
}

/**
 * Reads `file` and hands its rows to `onBatch` in batches. An empty numeric cell or a JSON
 * null is missing (NaN); so is an empty categorical cell (null). A CSV must have every
 * required column in its header; blank lines are skipped, so a one-column CSV writes a
 * missing value as `""`. In JSONL an absent key is a missing value; a required column
 * that no line has is an error, and an optional one is present when the first line has it.
 * Errors name the file, the line, the column and the value.
 */
export async function readRows(
  file: string,
  columns: readonly ColumnRequest[],
  onBatch: (batch: RowBatch) => void,
  options: ReadOptions = {},
): Promise<ReadSummary> {
  const format = rowFormat(file);
  if (format === undefined) throw new Error(`${file}: expected a .csv, .jsonl or .ndjson file`);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`readRows: batchSize must be a whole number >= 1, got ${batchSize}`);
  const writer = new BatchWriter(columns, batchSize, onBatch);
  try {
    if (format === 'csv') await readCsv(file, columns, writer);
    else await readJsonLines(file, columns, writer);
  } catch (error) {
    throw describeReadError(error, file);
  }
  writer.flush();
  return { rows: writer.rows, present: writer.present };
}

function rowFormat(file: string): 'csv' | 'jsonl' | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/** The parser's and the file system's errors get the file added; ours already name it, and a consumer's pass through. */
function describeReadError(error: unknown, file: string): unknown {
  if (error instanceof CsvError) return new Error(`${file} is not valid CSV: ${error.message}`, { cause: error });
  // System errors (ENOENT, EISDIR, EACCES...) carry the failed call; Node's own ERR_* codes do not.
  if (typeof (error as NodeJS.ErrnoException | undefined)?.syscall === 'string')
    return new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  return error;
}

/** Fills per-column arrays row by row and hands them over every `capacity` rows. */
class BatchWriter implements CellSink {
  rows = 0;
  present: boolean[];
  private row = 0;
  private numbers: (Float64Array | undefined)[] = [];
  private strings: ((string | null)[] | undefined)[] = [];

  constructor(
    private readonly columns: readonly ColumnRequest[],
    private readonly capacity: number,
    private readonly onBatch: (batch: RowBatch) => void,
  ) {
    this.present = columns.map(() => false);
    this.allocate();
  }

  number(column: number, value: number): void {
    (this.numbers[column] as Float64Array)[this.row] = value;
  }

  category(column: number, value: string | null): void {
    (this.strings[column] as (string | null)[])[this.row] = value;
  }

  endRow(): void {
    this.row++;
    if (this.row === this.capacity) this.flush();
  }

  flush(): void {
    const size = this.row;
    if (size === 0) return;
    const columns = this.columns.map((column, c): ColumnValues | undefined => {
      if (!this.present[c]) return undefined;
      if (column.type === 'numeric')
        return { type: 'numeric', values: (this.numbers[c] as Float64Array).subarray(0, size) };
      const values = this.strings[c] as (string | null)[];
      values.length = size;
      return { type: 'categorical', values };
    });
    this.rows += size;
    this.row = 0;
    this.allocate();
    this.onBatch({ size, columns });
  }

  /** Fresh arrays per batch, so that a consumer may keep the ones it was given. */
  private allocate(): void {
    this.numbers = this.columns.map((column) =>
      column.type === 'numeric' ? new Float64Array(this.capacity) : undefined,
    );
    this.strings = this.columns.map((column) =>
      column.type === 'categorical' ? new Array<string | null>(this.capacity).fill(null) : undefined,
    );
  }
}

async function readJsonLines(file: string, columns: readonly ColumnRequest[], writer: BatchWriter): Promise<void> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    await readJsonRecords(input, file, columns, writer);
  } finally {
    // Leaving the loop early closes readline but not the file it reads.
    input.destroy();
  }
}

async function readJsonRecords(
  input: NodeJS.ReadableStream,
  file: string,
  columns: readonly ColumnRequest[],
  writer: BatchWriter,
): Promise<void> {
  const seen = columns.map(() => false);
  let lineNumber = 0;
  let first = true;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    const text = lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') continue;
    const record = parseJsonObject(text, file, lineNumber);
    if (first) {
      first = false;
      // Required columns are read from every line; optional ones only when the first line has them.
      columns.forEach(
        (column, c) => (writer.present[c] = column.optional !== true || Object.hasOwn(record, column.name)),
      );
    }
    writeJsonRecord(record, columns, writer, seen, file, lineNumber);
  }
  const missing = columns
    .filter((column, c) => column.optional !== true && !seen[c] && !first)
    .map((column) => `"${column.name}"`);
  if (missing.length > 0)
    throw new Error(
      `${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: no line has ${missing.length > 1 ? 'these keys' : 'this key'}`,
    );
}

function parseJsonObject(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} line ${line}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${file} line ${line}: expected a JSON object, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

function writeJsonRecord(
  record: Record<string, unknown>,
  columns: readonly ColumnRequest[],
  writer: BatchWriter,
  seen: boolean[],
  file: string,
  line: number,
): void {
  for (let c = 0; c < columns.length; c++) {
    if (!writer.present[c]) continue;
    const column = columns[c] as ColumnRequest;
    const has = Object.hasOwn(record, column.name);
    if (has) seen[c] = true;
    const value = has ? record[column.name] : undefined;
    if (column.type === 'numeric') {
      if (value === undefined || value === null) writer.number(c, NaN);
      else if (typeof value === 'number' && Number.isFinite(value)) writer.number(c, value);
      else
        throw new Error(`${file} line ${line}, column ${column.name}: expected a number, got ${describeJson(value)}`);
    } else if (value === undefined || value === null || value === '') writer.category(c, null);
    else if (typeof value === 'string') writer.category(c, value);
    else
      throw new Error(
        `${file} line ${line}, column ${column.name}: expected a category (string), got ${describeJson(value)}`,
      );
  }
  writer.endRow();
}

function describeJson(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value; // not a JSON value: undefined, a function, a symbol or a bigint
}
