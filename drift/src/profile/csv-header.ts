/**
 * The header row of a CSV file: which of its columns are the requested ones.
 */
import type { ColumnRequest } from './column-request';

/** Column index in the file of each requested column (-1 when absent); a required one that is absent is an error. */
export function headerIndices(
  header: readonly string[],
  columns: readonly ColumnRequest[],
  where: string,
  present: boolean[],
): Int32Array {
  const indices = new Int32Array(columns.length).fill(-1);
  const missing: string[] = [];
  columns.forEach((column, c) => {
    const index = header.findIndex((name) => name.trim() === column.name);
    const again = index < 0 ? -1 : header.findIndex((name, i) => i > index && name.trim() === column.name);
    if (again >= 0)
      throw new Error(
        `${where}: column "${column.name}" appears twice in the header (columns ${index + 1} and ${again + 1})`,
      );
    indices[c] = index;
    present[c] = index >= 0;
    if (index < 0 && column.optional !== true) missing.push(`"${column.name}"`);
  });
  if (missing.length > 0)
    throw new Error(`${where}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header`);
  return indices;
}

/** The error for a CSV file without a header (empty, or blank lines only). */
export function emptyCsvError(file: string): Error {
  return new Error(`${file} is empty: expected a header line naming the columns`);
}
