import type { SloWindow } from '../../spec/src/conventions';

/**
 * Multi-window, multi-burn-rate pairs (Google SRE workbook): a long window proves the burn
 * is real, a short one that it is still going on. The first two page, the last two open a
 * ticket; both forms share the alert name so the critical one inhibits the warning.
 */
export const BURN_RATE_PAIRS: readonly {
  severity: 'critical' | 'warning';
  long: SloWindow;
  short: SloWindow;
  factor: number;
}[] = [
  { severity: 'critical', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'critical', long: '6h', short: '30m', factor: 6 },
  { severity: 'warning', long: '1d', short: '2h', factor: 3 },
  { severity: 'warning', long: '3d', short: '6h', factor: 1 },
];

/** The error budget as a ratio, rounded to 12 digits so `99.9` gives 0.001 rather than 0.0010000000000000009. */
export function errorBudget(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}
