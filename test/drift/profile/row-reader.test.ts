import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ColumnRequest } from '../../../drift/src/profile/column-request';
import { readRows, type ColumnValues, type ReadOptions, type RowBatch } from '../../../drift/src/profile/row-reader';

const COLUMNS: ColumnRequest[] = [
  { name: 'amount', type: 'numeric' },
  { name: 'category', type: 'categorical' },
];

function write(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-rows-')), name);
  writeFileSync(file, text);
  return file;
}

/** Reads a whole file into plain arrays per column (null for a missing value), plus the batch sizes. */
async function readAll(file: string, columns: ColumnRequest[] = COLUMNS, options: ReadOptions = {}) {
  const batches: RowBatch[] = [];
  const summary = await readRows(file, columns, (batch) => batches.push(batch), options);
  const values = columns.map((_, c) => batches.flatMap((batch) => plain(batch.columns[c])));
  return { summary, values, sizes: batches.map((batch) => batch.size) };
}

function plain(column: ColumnValues | undefined): (number | string | null)[] {
  if (column === undefined) return [];
  if (column.type === 'numeric') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
  return [...column.values];
}

describe('readRows on CSV', () => {
  test('numeric cells become numbers and categorical cells strings; empty cells are missing; other columns are ignored', async () => {
    const file = write('ref.csv', 'label,amount,category,prediction\n1,12.5,a,fraud\n0,,b,legit\n1,-3e2,,legit\n');
    const { summary, values } = await readAll(file);
    expect(summary).toEqual({ rows: 3, present: [true, true] });
    expect(values).toEqual([
      [12.5, null, -300],
      ['a', 'b', null],
    ]);
  });

  test('quoted fields may hold commas, quotes and line breaks', async () => {
    const file = write('ref.csv', 'amount,category\n"1,5",x\n2,"Acme, ""Inc."""\n3,"two\nlines"\n');
    const columns: ColumnRequest[] = [
      { name: 'amount', type: 'categorical' },
      { name: 'category', type: 'categorical' },
    ];
    expect((await readAll(file, columns)).values).toEqual([
      ['1,5', '2', '3'],
      ['x', 'Acme, "Inc."', 'two\nlines'],
    ]);
  });

  test('rows arrive in batches of the requested size, each column exactly as long as its batch', async () => {
    const file = write('ref.csv', `amount,category\n${[1, 2, 3, 4, 5].map((n) => `${n},c${n}`).join('\n')}\n`);
    const batches: RowBatch[] = [];
    await readRows(file, COLUMNS, (batch) => batches.push(batch), { batchSize: 2 });
    expect(batches.map((b) => b.size)).toEqual([2, 2, 1]);
    expect(batches.map((b) => b.columns.map((c) => c?.values.length))).toEqual([
      [2, 2],
      [2, 2],
      [1, 1],
    ]);
    expect(plain(batches[2]?.columns[0])).toEqual([5]);
  });

  test('a byte-order mark, CRLF line ends, blank lines and padded categories are read as plain data', async () => {
    const file = write('ref.csv', '\uFEFFamount,category\r\n1, a \r\n\r\n 2 ,b\r\n');
    expect((await readAll(file)).values).toEqual([
      [1, 2],
      ['a', 'b'],
    ]);
  });

  test('a quote far into a large file is read by csv-parse from its row on, with no row lost or repeated across batches', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) =>
      i === 24_999 ? `${i},"quoted, with a comma"` : `${i},c${i % 3}`,
    );
    const file = write('ref.csv', `amount,category\r\n${rows.join('\r\n')}\r\n`);
    const { summary, values, sizes } = await readAll(file, COLUMNS, { batchSize: 4096 });
    expect(summary.rows).toBe(30_000);
    expect(sizes).toEqual([...Array<number>(7).fill(4096), 30_000 - 7 * 4096]);
    expect(values[0]).toEqual(Array.from({ length: 30_000 }, (_, i) => i));
    expect(values[1]?.[24_999]).toBe('quoted, with a comma');
    expect(values[1]?.[25_000]).toBe('c1');
  });

  test('the line of a bad cell is exact in a CRLF file with blank lines and no line break at the end', async () => {
    const file = write('ref.csv', 'amount,category\r\n1,a\r\n\r\n2,b\r\n\r\n3x,c');
    await expect(readAll(file)).rejects.toThrow(`${file} line 6, column amount: expected a number, got "3x"`);
  });

  test('a cell that is not a number is an error naming the file, line, column and value', async () => {
    const file = write('reference.csv', 'amount,category\n1,a\nabc,b\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 3, column amount: expected a number, got "abc"`);
  });

  test('the line of a bad cell counts the lines of quoted line breaks before it', async () => {
    const file = write('ref.csv', 'amount,category\n1,"a\nb"\n2,c\n1O,d\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 5, column amount: expected a number, got "1O"`);
  });

  test('the line of a bad cell is exact far into a large file', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => (i === 24_999 ? 'x,a' : `${i},a`));
    const file = write('ref.csv', `amount,category\n${rows.join('\n')}\n`);
    await expect(readAll(file)).rejects.toThrow(`${file} line 25001, column amount: expected a number, got "x"`);
  });

  test.each([['Infinity'], ['NaN'], ['0x1F'], ['12abc']])('%s is not a number', async (cell) => {
    const file = write('ref.csv', `amount,category\n${cell},a\n`);
    await expect(readAll(file)).rejects.toThrow(
      `line 2, column amount: expected a number, got ${JSON.stringify(cell)}`,
    );
  });

  test('a blank numeric cell is missing rather than zero', async () => {
    const file = write('ref.csv', 'amount,category\n   ,a\n');
    expect((await readAll(file)).values[0]).toEqual([null]);
  });

  test('a header without a required column is an error naming every missing column', async () => {
    const file = write('ref.csv', 'label,other\n1,2\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 1: missing columns "amount", "category" in the header`);
  });

  test('an optional column the file lacks is reported absent and has no values', async () => {
    const file = write('ref.csv', 'amount,category\n1,a\n');
    const columns: ColumnRequest[] = [...COLUMNS, { name: 'prediction', type: 'categorical', optional: true }];
    const batches: RowBatch[] = [];
    const summary = await readRows(file, columns, (batch) => batches.push(batch));
    expect(summary.present).toEqual([true, true, false]);
    expect(batches[0]?.columns[2]).toBeUndefined();
  });

  test('a row with a different number of cells than the header is an error naming the line', async () => {
    const file = write('ref.csv', 'amount,category\n1,a\n2\n');
    await expect(readAll(file)).rejects.toThrow(new RegExp(`^${file} is not valid CSV: .*line 3`));
  });

  test('a column named twice in the header is an error', async () => {
    const file = write('ref.csv', 'amount,category,amount\n1,a,2\n');
    await expect(readAll(file)).rejects.toThrow(
      `${file} line 1: column "amount" appears twice in the header (columns 1 and 3)`,
    );
  });

  test('an empty file is an error asking for a header', async () => {
    const file = write('ref.csv', '');
    await expect(readAll(file)).rejects.toThrow(`${file} is empty: expected a header line naming the columns`);
  });

  test('a header without rows reads zero rows', async () => {
    const file = write('ref.csv', 'amount,category\n');
    expect((await readAll(file)).summary.rows).toBe(0);
  });

  test('a file that does not exist is an error naming it', async () => {
    await expect(readAll('/nonexistent/ref.csv')).rejects.toThrow('cannot read /nonexistent/ref.csv: ');
  });

  test('a file that is neither CSV nor JSONL is refused by its extension', async () => {
    await expect(readAll('ref.parquet')).rejects.toThrow('ref.parquet: expected a .csv, .jsonl or .ndjson file');
  });

  test('an error thrown by the batch callback reaches the caller unchanged', async () => {
    const file = write('ref.csv', 'amount,category\n1,a\n');
    const problem = new Error('consumer failed');
    await expect(
      readRows(file, COLUMNS, () => {
        throw problem;
      }),
    ).rejects.toBe(problem);
  });
});

describe('readRows on JSONL', () => {
  test('each line is an object; null, an absent key and an empty category are missing; blank lines are skipped', async () => {
    const file = write(
      'ref.jsonl',
      '{"amount": 1.5, "category": "a", "label": 1}\n\n{"amount": null, "category": ""}\n{"category": "b"}\n',
    );
    const { summary, values } = await readAll(file);
    expect(summary).toEqual({ rows: 3, present: [true, true] });
    expect(values).toEqual([
      [1.5, null, null],
      ['a', null, 'b'],
    ]);
  });

  test('an .ndjson file is read the same way', async () => {
    const file = write('ref.ndjson', '{"amount": 2, "category": "x"}\n');
    expect((await readAll(file)).values).toEqual([[2], ['x']]);
  });

  test('a number written as a string is an error naming the file, line, column and value', async () => {
    const file = write('ref.jsonl', '{"amount": 1, "category": "a"}\n{"amount": "12", "category": "a"}\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 2, column amount: expected a number, got "12"`);
  });

  test('a category that is not a string is an error', async () => {
    const file = write('ref.jsonl', '{"amount": 1, "category": 3}\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 1, column category: expected a category (string), got 3`);
  });

  test('a line that is not a JSON object is an error naming the line', async () => {
    const file = write('ref.jsonl', '{"amount": 1, "category": "a"}\n[1, 2]\n');
    await expect(readAll(file)).rejects.toThrow(`${file} line 2: expected a JSON object, got a list`);
    const broken = write('ref.jsonl', '{"amount": 1,\n');
    await expect(readAll(broken)).rejects.toThrow(`${broken} line 1: not valid JSON: `);
  });

  test('a required column that no line has is an error naming it', async () => {
    const file = write('ref.jsonl', '{"amount": 1}\n{"amount": 2}\n');
    await expect(readAll(file)).rejects.toThrow(`${file}: missing column "category": no line has this key`);
  });

  test('an optional column is present when the first line has it', async () => {
    const file = write(
      'ref.jsonl',
      '{"amount": 1, "category": "a", "prediction": "fraud"}\n{"amount": 2, "category": "b"}\n',
    );
    const columns: ColumnRequest[] = [...COLUMNS, { name: 'prediction', type: 'categorical', optional: true }];
    const { summary, values } = await readAll(file, columns);
    expect(summary.present).toEqual([true, true, true]);
    expect(values[2]).toEqual(['fraud', null]);
  });
});
