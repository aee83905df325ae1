import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';
import { readRows } from '../../../drift/src/profile/row-reader';
import { ColumnStats } from './column-stats';

/** The header of a CSV file: its first non-blank line, parsed as CSV. */
export async function readCsvHeader(file: string): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const [header]: string[][] = parse(line);
      return (header ?? []).map((name) => name.trim());
    }
  } finally {
    lines.close();
  }
  throw new Error(`${file}: empty file, expected a header row`);
}

/**
 * Reads every column of a CSV reference sample (with the project's sample reader, every cell as
 * text) and returns what each column held; errors name the file.
 */
export async function readColumnStats(file: string): Promise<{ rows: number; columns: ColumnStats[] }> {
  if (path.extname(file).toLowerCase() !== '.csv') throw new Error(`${file}: expected a .csv file with a header row`);
  const header = await readCsvHeader(file);
  const columns = header.map((name) => new ColumnStats(name));
  const summary = await readRows(
    file,
    header.map((name) => ({ name, type: 'categorical' as const })),
    (batch) => {
      batch.columns.forEach((values, i) => {
        const stats = columns[i];
        if (values === undefined || stats === undefined || values.type !== 'categorical') return;
        for (const value of values.values) stats.add(value);
      });
    },
  );
  if (summary.rows === 0) throw new Error(`${file}: no data rows below the header`);
  return { rows: summary.rows, columns };
}
