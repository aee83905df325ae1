/**
 * The fast path of CSV reading: a file without quotes is, by RFC 4180, records split at line
 * breaks and fields split at commas, so it is read straight from the bytes, decoding only the
 * requested cells. At the first byte it cannot read as csv-parse would (a quote, or a line
 * break unlike the file's first one) it stops and says where csv-parse must take over.
 */
import { createReadStream } from 'node:fs';
import { CsvError } from 'csv-parse';
import { BadCell, categoryCell, cellError, numberCell, type CellSink } from './csv-cells';
import { simpleDecimal } from './csv-decimal';
import { emptyCsvError, headerIndices } from './csv-header';
import type { CsvResume } from './csv-parse-reader';
import type { ColumnRequest } from './column-request';

/** What is left for csv-parse: nothing, the whole file, or the rest from a record on. */
export type PlainCsvOutcome = 'done' | 'whole-file' | CsvResume;

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Bytes per read: big enough to amortise the stream, small enough to stay in cache. */
const CHUNK_BYTES = 1 << 20;

/** Reads the CSV `file` into `sink` as far as it has no quotes and one kind of line break (`\n` or `\r\n`). */
export async function readPlainCsv(
  file: string,
  columns: readonly ColumnRequest[],
  sink: CellSink,
): Promise<PlainCsvOutcome> {
  const scanner = new PlainScanner(file, columns, sink);
  // Bytes after the last line break seen: the start of a record that the next chunk ends.
  let pending: Buffer[] = [];
  let offset = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const last = chunk.lastIndexOf(LF);
    if (last < 0) {
      // A record longer than a chunk: hand it over as soon as it is clear csv-parse must read it, rather than hold it all.
      if (scanner.mustHandOff(chunk)) return scanner.handOff(offset);
      pending.push(chunk);
      continue;
    }
    const block = pending.length === 0 ? chunk : Buffer.concat([...pending, chunk]);
    const complete = block.length - (chunk.length - last - 1);
    const stop = scanner.scan(block, complete, offset, false);
    if (stop !== undefined) return stop;
    pending = complete < block.length ? [block.subarray(complete)] : [];
    offset += complete;
  }
  const rest = Buffer.concat(pending);
  return scanner.scan(rest, rest.length, offset, true) ?? scanner.finish();
}

class PlainScanner {
  private line = 1;
  /** The file's line break, found at its first one as csv-parse finds it ('' until then). */
  private lineBreak: '' | '\n' | '\r\n' = '';
  private indices: Int32Array | undefined;
  private fieldCount = 0;
  /** Offsets of the commas of the current record, as far as the header has fields. */
  private commas = new Int32Array(0);

  constructor(
    private readonly file: string,
    private readonly columns: readonly ColumnRequest[],
    private readonly sink: CellSink,
  ) {}

  /**
   * Reads the records of `block[0, end)` (all ending in a line break unless `atEof`), whose
   * first byte is at `fileOffset` in the file; returns where csv-parse must take over, if it must.
   */
  scan(block: Buffer, end: number, fileOffset: number, atEof: boolean): PlainCsvOutcome | undefined {
    let start = 0;
    if (fileOffset === 0) {
      // csv-parse skips a UTF-8 byte-order mark and reads a file with a UTF-16 one as UTF-16.
      if (block[0] === 0xff && block[1] === 0xfe) return 'whole-file';
      if (block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) start = 3;
    }
    let commas = this.commas;
    let fields = 0;
    for (let i = start; i < end; i++) {
      const byte = block[i] as number;
      // Digits, letters, '.' and '-' are above the comma: one comparison for most bytes.
      if (byte > COMMA) continue;
      if (byte === COMMA) {
        if (fields < commas.length) commas[fields] = i;
        fields++;
        continue;
      }
      const recordEnd = i;
      if (byte === LF) {
        if (this.lineBreak === '\r\n') return this.handOff(fileOffset + start);
        this.lineBreak = '\n';
      } else if (byte === CR) {
        // csv-parse keeps a '\r' that is not its line break in the field, and counts it as a line.
        if (this.lineBreak === '\n' || i + 1 >= end || block[i + 1] !== LF) return this.handOff(fileOffset + start);
        this.lineBreak = '\r\n';
        i++;
      } else if (byte === QUOTE) return this.handOff(fileOffset + start);
      else continue;
      // csv-parse skips a blank line but counts it.
      if (recordEnd > start) {
        this.record(block, start, recordEnd, fields + 1);
        commas = this.commas;
      }
      this.line++;
      start = i + 1;
      fields = 0;
    }
    if (atEof && start < end) this.record(block, start, end, fields + 1);
    return undefined;
  }

  /** The outcome of a file read to its end. */
  finish(): 'done' {
    if (this.indices === undefined) throw emptyCsvError(this.file);
    return 'done';
  }

  /** Whether csv-parse must read a record of which `chunk` is a part without a line feed. */
  mustHandOff(chunk: Buffer): boolean {
    // A '\r' before the chunk's last byte is not followed by '\n'; the last one may be.
    const cr = chunk.indexOf(CR);
    return chunk.indexOf(QUOTE) >= 0 || (cr >= 0 && cr < chunk.length - 1);
  }

  /** Where csv-parse takes over: at the record starting at file `offset`, or (before the header) everywhere. */
  handOff(offset: number): PlainCsvOutcome {
    if (this.indices === undefined || this.lineBreak === '') return 'whole-file';
    return { offset, line: this.line, fieldCount: this.fieldCount, indices: this.indices, lineBreak: this.lineBreak };
  }

  private record(block: Buffer, start: number, end: number, fieldCount: number): void {
    if (this.indices === undefined) {
      const header = block.toString('utf8', start, end).split(',');
      this.indices = headerIndices(header, this.columns, `${this.file} line ${this.line}`, this.sink.present);
      this.fieldCount = header.length;
      this.commas = new Int32Array(header.length - 1);
      return;
    }
    if (fieldCount !== this.fieldCount) {
      // The very error csv-parse raises, so that both paths report it alike.
      throw new CsvError('CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', [
        'Invalid Record Length:',
        `expect ${this.fieldCount},`,
        `got ${fieldCount} on line ${this.line}`,
      ]);
    }
    const { columns, sink, commas, indices } = this;
    const last = this.fieldCount - 1;
    let c = 0;
    try {
      for (; c < columns.length; c++) {
        const index = indices[c] as number;
        if (index < 0) continue;
        const from = index === 0 ? start : (commas[index - 1] as number) + 1;
        const to = index === last ? end : (commas[index] as number);
        if ((columns[c] as ColumnRequest).type === 'numeric')
          sink.number(
            c,
            from === to ? NaN : (simpleDecimal(block, from, to) ?? numberCell(block.toString('utf8', from, to))),
          );
        else sink.category(c, from === to ? null : categoryCell(block.toString('utf8', from, to)));
      }
    } catch (error) {
      throw error instanceof BadCell ? cellError(this.file, this.line, columns[c], error.message) : error;
    }
    sink.endRow();
  }
}
