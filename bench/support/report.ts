import type { LoadResult } from './load-generator';

/** A number with a fixed count of decimals and thousands separators, e.g. `12,345.6`. */
export function num(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** `PASS` or `FAIL` with the comparison spelled out, e.g. `PASS (0.94 >= 0.90)`. */
export function verdict(value: string, target: string, pass: boolean): string {
  return `${pass ? 'PASS' : 'FAIL'} (${value} ${pass ? '>=' : '<'} ${target})`;
}

/** One table row of left-aligned then right-aligned cells. */
export function row(cells: ReadonlyArray<[string, number]>): string {
  return cells.map(([text, width]) => (width < 0 ? text.padEnd(-width) : text.padStart(width))).join('  ');
}

/** Throws when a timed run measured failures instead of work; warns about socket errors on a noisy box. */
export function checkRun(label: string, result: LoadResult): void {
  if (result.requests === 0) throw new Error(`${label}: no request completed`);
  if (result.non2xx > 0)
    throw new Error(`${label}: ${result.non2xx} of ${result.requests} responses were not 2xx; the run measured errors`);
  if (result.socketErrors > 0)
    console.log(`  warning: ${label}: ${result.socketErrors} socket errors (timeouts count here)`);
}
