import type { DriftReport, FeatureDrift } from '../engine/drift-report';

const HEADER = ['feature', 'test', 'statistic', 'p-value', 'adj. p', 'effect', 'threshold', 'n', 'drifted'];

/** A drift report as a readable table: one row per feature and output, then the verdict. */
export function formatDriftReport(report: DriftReport): string {
  const rows = report.features.map((f) => row(f.feature, f));
  const outputs = report.output_drift;
  for (const output of [outputs?.prediction, outputs?.confidence])
    if (output !== undefined) rows.push(row(`(output) ${output.feature}`, output));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const share =
    report.drift_share === null
      ? 'no verdict'
      : `${report.features_drifted}/${report.features_tested} features drifted (share ${report.drift_share.toFixed(2)})`;
  const verdict =
    report.dataset_drift === null
      ? `no verdict: ${report.window_size} rows, min_samples is ${report.min_samples}`
      : `${share}; dataset drift: ${report.dataset_drift ? 'YES' : 'no'}`;
  return [line(HEADER), ...rows.map(line), '', `${report.model}: ${verdict} (correction: ${report.correction})`].join(
    '\n',
  );
}

function row(name: string, f: FeatureDrift): string[] {
  const status = f.status === 'ok' ? (f.drifted ? 'YES' : 'no') : f.status;
  return [
    name,
    f.test,
    fmt(f.statistic),
    fmt(f.pvalue),
    fmt(f.adjusted_pvalue),
    fmt(f.effect_size),
    fmt(f.threshold),
    String(f.window_size),
    status,
  ];
}

/** Four significant digits, or scientific notation for tiny p-values; a dash for none. */
function fmt(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
