/**
 * CSV reading through csv-parse, for files (or the rest of files) the plain reader cannot
 * take: quoted fields, mixed or old-Mac line breaks, UTF-16.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { BadCell, categoryCell, cellError, numberCell, type CellSink } from './csv-cells';
import { emptyCsvError, headerIndices } from './csv-header';
import type { ColumnRequest } from './column-request';

/** Where csv-parse takes over from the plain reader, which has read the header and every record before `line`. */
export interface CsvResume {
  /** Byte offset in the file of the first record left to read. */
  readonly offset: number;
  /** Line number of that record (1-based, as csv-parse counts). */
  readonly line: number;
  /** Fields of the header, which every record must have. */
  readonly fieldCount: number;
  /** Column index in the file of each requested column (-1 when absent). */
  readonly indices: Int32Array;
  /** The line break of the file, found by the plain reader as csv-parse would have. */
  readonly lineBreak: '\n' | '\r\n';
}

/** Reads the CSV `file` into `sink`: the whole file, or from `resume` on. */
export async function readParsedCsv(
  file: string,
  columns: readonly ColumnRequest[],
  sink: CellSink,
  resume?: CsvResume,
): Promise<void> {
  // Records as arrays of strings (no casting, no objects): the builder only needs a few columns by index.
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    ...(resume !== undefined && { record_delimiter: resume.lineBreak }),
  });
  let indices = resume?.indices;
  let skipHeader = resume !== undefined;
  let failed = false;
  parser.on('data', (record: string[]) => {
    if (failed) return;
    try {
      if (skipHeader) skipHeader = false;
      else if (indices === undefined)
        indices = headerIndices(record, columns, `${file} line ${parser.info.lines}`, sink.present);
      else writeRecord(record, indices, columns, sink);
    } catch (error) {
      failed = true;
      // 'data' is emitted while the parser pushes the record, so info.lines is this record's (last) line.
      parser.destroy(
        error instanceof BadCell
          ? cellError(file, parser.info.lines, columns[error.column], error.message)
          : (error as Error),
      );
    }
  });
  const input = resume === undefined ? createReadStream(file, { highWaterMark: 1 << 20 }) : resumedInput(file, resume);
  await pipeline(input, parser);
  if (indices === undefined) throw emptyCsvError(file);
}

/**
 * The file from `resume.offset` on, after a stand-in header with the real one's number of fields
 * and blank lines up to `resume.line`: csv-parse checks every record against its first one and
 * counts lines from its first byte, so both its checks and its error messages stay those of
 * the whole file.
 */
async function* resumedInput(file: string, resume: CsvResume): AsyncGenerator<Buffer> {
  const { lineBreak, fieldCount, line } = resume;
  // A space, so that a one-field stand-in is not a blank line (which csv-parse skips).
  yield Buffer.from(` ${','.repeat(fieldCount - 1)}${lineBreak.repeat(line - 1)}`);
  yield* createReadStream(file, { start: resume.offset, highWaterMark: 1 << 20 });
}

function writeRecord(
  record: readonly string[],
  indices: Int32Array,
  columns: readonly ColumnRequest[],
  sink: CellSink,
): void {
  let c = 0;
  try {
    for (; c < columns.length; c++) {
      const index = indices[c] as number;
      if (index < 0) continue;
      const cell = record[index] as string;
      if ((columns[c] as ColumnRequest).type === 'numeric') sink.number(c, numberCell(cell));
      else sink.category(c, categoryCell(cell));
    }
  } catch (error) {
    throw error instanceof BadCell ? new BadCell(error.message, c) : error;
  }
  sink.endRow();
}
