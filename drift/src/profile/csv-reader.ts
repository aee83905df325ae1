/**
 * CSV reading: the plain reader for as much of the file as has no quotes, csv-parse for the rest.
 */
import type { CellSink } from './csv-cells';
import { readParsedCsv } from './csv-parse-reader';
import { readPlainCsv } from './csv-plain-reader';
import type { ColumnRequest } from './column-request';

/** Reads the CSV `file` into `sink`, header first, exactly as csv-parse alone would but faster. */
export async function readCsv(file: string, columns: readonly ColumnRequest[], sink: CellSink): Promise<void> {
  const outcome = await readPlainCsv(file, columns, sink);
  if (outcome === 'whole-file') await readParsedCsv(file, columns, sink);
  else if (outcome !== 'done') await readParsedCsv(file, columns, sink, outcome);
}
