import { BadCell, numberCell } from '../../../drift/src/profile/csv-cells';

/** Distinct values remembered per column: past this a column is too varied to list its categories. */
export const MAX_TRACKED_VALUES = 10_000;

/** What one pass over a CSV column saw: enough to tell its type, its categories and whether it has gaps. */
export class ColumnStats {
  rows = 0;
  missing = 0;
  /** False once a present value is not a decimal number (the rule the profile reader applies to numeric cells). */
  numeric = true;
  /** Count of each distinct value, up to MAX_TRACKED_VALUES of them. */
  readonly counts = new Map<string, number>();
  /** Whether more distinct values were seen than `counts` holds. */
  overflowed = false;

  constructor(readonly name: string) {}

  /** Adds one cell, as the CSV reader gives a categorical cell: null when empty. */
  add(value: string | null): void {
    this.rows += 1;
    if (value === null) {
      this.missing += 1;
      return;
    }
    const seen = this.counts.get(value);
    if (seen !== undefined) {
      this.counts.set(value, seen + 1);
      return;
    }
    if (this.numeric && !isNumber(value)) this.numeric = false;
    if (this.counts.size < MAX_TRACKED_VALUES) this.counts.set(value, 1);
    else this.overflowed = true;
  }
}

function isNumber(text: string): boolean {
  try {
    return !Number.isNaN(numberCell(text));
  } catch (error) {
    if (error instanceof BadCell) return false;
    throw error;
  }
}
