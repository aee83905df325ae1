import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Directory of the SciPy golden vectors; MLWATCH_GOLDEN_DIR overrides the default next to the repository. */
export const GOLDEN_DIR = process.env.MLWATCH_GOLDEN_DIR ?? resolve(__dirname, '../../../../shared/golden');

/** One golden file: its cases (finite values only) and edge cases (NaN results or errors). */
export interface GoldenFile<C, E = Record<string, unknown>> {
  statistic: string;
  cases: C[];
  edge_cases: E[];
}

/** Reads `<GOLDEN_DIR>/<file>`; the JSON numbers are the exact doubles SciPy saw and returned. */
export function loadGolden<C, E = Record<string, unknown>>(file: string): GoldenFile<C, E> {
  return JSON.parse(readFileSync(resolve(GOLDEN_DIR, file), 'utf8')) as GoldenFile<C, E>;
}

/** Asserts |actual - expected| <= rel · |expected|, with a message that shows both values in full. */
export function expectRelClose(actual: number, expected: number, rel: number): void {
  const error = Math.abs(actual - expected);
  if (!(error <= rel * Math.abs(expected))) {
    throw new Error(`expected ${expected}, got ${actual} (relative error ${error / Math.abs(expected)} > ${rel})`);
  }
}

/** Asserts |actual - expected| <= abs, with a message that shows both values in full. */
export function expectAbsClose(actual: number, expected: number, abs: number): void {
  if (!(Math.abs(actual - expected) <= abs)) {
    throw new Error(`expected ${expected}, got ${actual} (absolute error ${Math.abs(actual - expected)} > ${abs})`);
  }
}
