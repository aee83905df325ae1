import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { CellSink } from '../../../drift/src/profile/csv-cells';
import { readParsedCsv } from '../../../drift/src/profile/csv-parse-reader';
import { readPlainCsv } from '../../../drift/src/profile/csv-plain-reader';
import { readCsv } from '../../../drift/src/profile/csv-reader';
import type { ColumnRequest } from '../../../drift/src/profile/column-request';

const COLUMNS: ColumnRequest[] = [
  { name: 'amount', type: 'numeric' },
  { name: 'category', type: 'categorical' },
];

/** The plain reader's chunk: records across its edges must read as any other. */
const CHUNK = 1 << 20;

const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-csv-'));
let files = 0;
function write(text: string | Buffer): string {
  const file = path.join(dir, `${files++}.csv`);
  writeFileSync(file, text);
  return file;
}

/** Records every sink call: the rows (with their boundaries) are all a batch is made of. */
class Recorder implements CellSink {
  present: boolean[] = [];
  rows: (number | string | null)[][] = [];
  private row: (number | string | null)[] = [];
  number(column: number, value: number): void {
    this.row[column] = value;
  }
  category(column: number, value: string | null): void {
    this.row[column] = value;
  }
  endRow(): void {
    this.rows.push(this.row);
    this.row = [];
  }
}

type Read = { present: boolean[]; rows: (number | string | null)[][] } | { error: string; kind: string };

async function record(read: (sink: CellSink) => Promise<unknown>): Promise<Read> {
  const sink = new Recorder();
  try {
    await read(sink);
    return { present: sink.present, rows: sink.rows };
  } catch (error) {
    return { error: (error as Error).message, kind: (error as Error).constructor.name };
  }
}

/** The file read by the reader readRows uses and by csv-parse alone. */
async function readBoth(file: string, columns: ColumnRequest[] = COLUMNS): Promise<{ fast: Read; parsed: Read }> {
  return {
    fast: await record((sink) => readCsv(file, columns, sink)),
    parsed: await record((sink) => readParsedCsv(file, columns, sink)),
  };
}

/** What the plain reader leaves to csv-parse. */
async function outcome(file: string, columns: ColumnRequest[] = COLUMNS) {
  return readPlainCsv(file, columns, new Recorder());
}

const rows = (count: number, row: (i: number) => string) => Array.from({ length: count }, (_, i) => row(i));

describe('the plain CSV reader', () => {
  test('reads quote-free data exactly as csv-parse does, row for row and value for value', async () => {
    const cells = [
      '12.5',
      '-3e2',
      '',
      '   ',
      ' 2 ',
      '-0',
      '.5',
      '5.',
      '+3',
      '007',
      '0.1',
      '123456789012345678',
      '1E-7',
      '-12.000',
      '9007199254740993',
    ];
    const body = cells.map((cell, i) => `${i},${cell},${['a', ' b ', '', 'é', 'x y', '  '][i % 6]}\n`).join('');
    const file = write(`label,amount,category\n${body}`);
    expect(await outcome(file)).toBe('done');
    const { fast, parsed } = await readBoth(file);
    expect(fast).toEqual(parsed);
    expect(fast).toMatchObject({ present: [true, true] });
    expect((fast as { rows: unknown[] }).rows[5]).toEqual([-0, null]);
  });

  test('reads CRLF line breaks, blank lines, a byte-order mark and a last line without a line break as csv-parse does', async () => {
    for (const text of [
      '\uFEFFamount,category\r\n1,a\r\n\r\n2,b\r\n\r\n',
      '\n\namount,category\n1,a\n\n\n2,b',
      'amount,category\r\n1,a\r\n2,b',
      'amount,category',
    ]) {
      const file = write(text);
      expect(await outcome(file)).toBe('done');
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual(parsed);
    }
  });

  test('reads rows across chunk edges, including a CRLF split between two chunks', async () => {
    // 15,000 rows of 63 bytes, then one padded so that its '\r' is the last byte of the first chunk.
    const prefix = `amount,category\r\n${rows(15_000, (i) => `${i},${'c'.repeat(60 - String(i).length)}\r\n`).join('')}`;
    const padded = `1,${'p'.repeat(CHUNK - 3 - Buffer.byteLength(prefix))}\r\n`;
    const file = write(`${prefix}${padded}${rows(5000, (i) => `${i},d\r\n`).join('')}`);
    expect(await outcome(file)).toBe('done');
    const { fast, parsed } = await readBoth(file);
    expect(fast).toEqual(parsed);
    expect((fast as { rows: unknown[] }).rows.length).toBeGreaterThan(20_000);
  });

  test('names the exact line of a bad cell at row 25,000, after blank lines, in LF and CRLF files', async () => {
    for (const lineBreak of ['\n', '\r\n']) {
      const body = rows(30_000, (i) => (i === 24_999 ? 'x,a' : `${i},category-${i % 7}`)).join(lineBreak);
      const file = write(`amount,category${lineBreak}${lineBreak}${body}${lineBreak}`);
      await expect(outcome(file)).rejects.toThrow(`${file} line 25002, column amount: expected a number, got "x"`);
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual({ error: `${file} line 25002, column amount: expected a number, got "x"`, kind: 'Error' });
      expect(parsed).toEqual(fast);
    }
  });

  test('any quote-free mix of cells, commas, blank lines and one kind of line break reads as csv-parse alone reads it', async () => {
    const cell = fc.constantFrom('1', '-2.5', '.5', '1e3', '+4', 'x', ' y ', 'é', '', ' ', '0x1F');
    const record = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const lines = fc.array(fc.oneof(record, fc.constant('')), { maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('\n', '\r\n'), lines, fc.boolean(), async (lineBreak, body, trailing) => {
        const file = write(`amount,category,label${lineBreak}${body.join(lineBreak)}${trailing ? lineBreak : ''}`);
        // The plain reader reads all of it (or stops at a bad cell): csv-parse is never needed.
        expect(await outcome(file).catch(() => 'failed')).toMatch(/^(done|failed)$/);
        const { fast, parsed } = await readBoth(file);
        expect(fast).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });

  test("reports a row with too few or too many cells with csv-parse's own error", async () => {
    for (const text of ['amount,category\n1,a\n2\n', 'amount,category\r\n1,a\r\n2,b,c\r\n', 'amount\n1\n2,3']) {
      const file = write(text);
      const { fast, parsed } = await readBoth(
        file,
        text.includes('category') ? COLUMNS : [{ name: 'amount', type: 'numeric' }],
      );
      expect(fast).toMatchObject({
        error: expect.stringMatching(/^Invalid Record Length: expect \d, got \d on line 3$/) as unknown,
        kind: 'CsvError',
      });
      expect(fast).toEqual(parsed);
    }
  });

  test('reports header problems and an empty file with the same messages as csv-parse', async () => {
    for (const text of [
      '',
      '\n\n',
      'label,other\n1,2\n',
      'amount,category,amount\n1,a,2\n',
      '\n amount , category \n1,a\n',
    ]) {
      const file = write(text);
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual(parsed);
    }
  });
});

describe('handing over to csv-parse', () => {
  test('a quote at row 25,000 hands the rest of the file over at that row, and quoted commas, line breaks and quotes read as csv-parse reads them', async () => {
    const body = rows(30_000, (i) =>
      i === 24_999 ? '"1,5","Acme, ""Inc."""' : i === 25_500 ? '7,"two\nlines"' : `${i},c${i % 5}`,
    ).join('\n');
    const text = `amount,category\n${body}\n`;
    const file = write(text);
    const columns: ColumnRequest[] = [
      { name: 'amount', type: 'categorical' },
      { name: 'category', type: 'categorical' },
    ];
    expect(await outcome(file, columns)).toMatchObject({
      offset: text.indexOf('"1,5"'),
      line: 25_001,
      fieldCount: 2,
      lineBreak: '\n',
    });
    const { fast, parsed } = await readBoth(file, columns);
    expect(fast).toEqual(parsed);
    const read = fast as { rows: unknown[][] };
    expect(read.rows.length).toBe(30_000);
    expect(read.rows[24_999]).toEqual(['1,5', 'Acme, "Inc."']);
    expect(read.rows[25_500]).toEqual(['7', 'two\nlines']);
  });

  test('after a hand-over, errors name the line in the whole file', async () => {
    const body = rows(3000, (i) => (i === 1000 ? '1,"a\nb"' : i === 2500 ? 'oops,b' : `${i},c`)).join('\r\n');
    const file = write(`amount,category\r\n${body}\r\n`);
    const { fast, parsed } = await readBoth(file);
    expect(fast).toEqual({ error: `${file} line 2503, column amount: expected a number, got "oops"`, kind: 'Error' });
    expect(parsed).toEqual(fast);
    const broken = write(`amount,category\n${rows(100, (i) => `${i},c`).join('\n')}\n1,"open\n2,b\n`);
    const read = await readBoth(broken);
    expect(read.fast).toMatchObject({
      error: 'Quote Not Closed: the parsing is finished with an opening quote at line 103',
      kind: 'CsvError',
    });
    expect(read.parsed).toEqual(read.fast);
    const short = write(`amount,category\n${rows(100, (i) => `${i},c`).join('\n')}\n"1"\n`);
    const shortRead = await readBoth(short);
    expect(shortRead.fast).toEqual({ error: 'Invalid Record Length: expect 2, got 1 on line 102', kind: 'CsvError' });
    expect(shortRead.parsed).toEqual(shortRead.fast);
  });

  test('a quote in the header, an old-Mac file and a UTF-16 file are read by csv-parse from the start', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('amount,category\n1,a\n', 'utf16le')]);
    for (const text of ['"amount",category\n1,a\n', 'amount,category\r1,a\r2,b\r', utf16]) {
      const file = write(text);
      expect(await outcome(file)).toBe('whole-file');
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual(parsed);
      expect(fast).toMatchObject({ rows: [[1, 'a'], ...(text.includes('2,b') ? [[2, 'b']] : [])] });
    }
  });

  test("line breaks unlike the file's first one read as csv-parse reads them", async () => {
    // csv-parse keeps such a break in the field and counts it as a line: the last cell shows where.
    for (const text of [
      'amount,category\n1,a\r\n2,b\n3,c\n',
      'amount,category\r\n1,a\n2,b\r\n',
      'amount,category\n1,a\rb\n2,b\nx,c\n',
      'amount,category\r\n1,a\r\n\r\n2,b\r\r\nx,c\r\n',
    ]) {
      const file = write(text);
      expect(await outcome(file)).not.toBe('done');
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual(parsed);
    }
  });

  test('a record longer than a chunk reads the same either way', async () => {
    const long = 'z'.repeat(CHUNK * 1.5);
    for (const text of [
      `amount,category\n1,${long}\n2,b\n`,
      `amount,category\n1,"${long}"\n2,b\n`,
      `amount,category\r\n1,a\r\n2,${long}\rb\r\n`,
    ]) {
      const file = write(text);
      const { fast, parsed } = await readBoth(file);
      expect(fast).toEqual(parsed);
      expect((fast as { rows: unknown[][] }).rows[text.includes('\r') ? 1 : 0]?.[1]).toMatch(/^z+/);
    }
  });

  test('any mix of cells, commas, quotes and line breaks reads as csv-parse alone reads it', async () => {
    const token = fc.constantFrom(
      '1',
      '-2.5',
      '.5',
      'x',
      ' ',
      'é',
      '',
      ',',
      ',',
      '\n',
      '\n',
      '\r\n',
      '\r',
      '"',
      '""',
      '1e3',
    );
    const text = fc.array(token, { maxLength: 40 }).map((tokens) => tokens.join(''));
    const header = fc.constantFrom(
      'amount,category\n',
      'amount,category\r\n',
      '\uFEFFcategory,amount\n',
      'amount\n',
      'x,amount,category,y\r\n',
    );
    await fc.assert(
      fc.asyncProperty(header, text, async (head, rest) => {
        const file = write(`${head}${rest}`);
        const columns = head.includes('category') ? COLUMNS : [{ name: 'amount', type: 'categorical' as const }];
        const { fast, parsed } = await readBoth(file, columns);
        expect(fast).toEqual(parsed);
      }),
      { numRuns: 400 },
    );
  });
});
