/**
 * What a CSV cell means: the text of a numeric or categorical cell as a value, and where the
 * CSV readers put the values (the row reader's batch writer).
 */
import type { ColumnRequest } from './column-request';

/** Where a CSV reader writes the cells of the requested columns, row by row (column = index in the request). */
export interface CellSink {
  /** Per requested column: whether the file has it; set by the header. */
  readonly present: boolean[];
  number(column: number, value: number): void;
  category(column: number, value: string | null): void;
  endRow(): void;
}

/** A cell that is not what its column needs; the reader adds the file, the line and the column. */
export class BadCell extends Error {
  constructor(
    message: string,
    readonly column = -1,
  ) {
    super(message);
  }
}

/** The error for a bad cell, naming the file, the line, the column and (in `problem`) the value. */
export function cellError(file: string, line: number, column: ColumnRequest | undefined, problem: string): Error {
  return new Error(`${file} line ${line}, column ${column?.name ?? '?'}: ${problem}`);
}

/** A CSV cell as a number: empty (or blank) is missing; anything else must be a finite decimal number. */
export function numberCell(text: string): number {
  if (text === '') return NaN;
  const value = Number(text);
  // Number() reads "0x1F" as 31 and " " as 0: neither is a decimal number in a data file.
  if (Number.isFinite(value) && !isRadixLiteral(text)) return value === 0 && text.trim() === '' ? NaN : value;
  throw new BadCell(`expected a number, got ${quote(text)}`);
}

function isRadixLiteral(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48 /* 0 */) return false;
  const marker = text.charCodeAt(1) | 32; // lower case
  return marker === 120 /* x */ || marker === 111 /* o */ || marker === 98; /* b */
}

/** A CSV cell as a category: empty is missing; surrounding spaces are not part of it. */
export function categoryCell(text: string): string | null {
  if (text === '') return null;
  const padded = text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32;
  if (!padded) return text;
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** A value for an error message: JSON-quoted, cut after 40 characters. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
