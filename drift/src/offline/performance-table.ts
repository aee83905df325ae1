/** A performance report as readable tables: per version, per class (overall) and the confusion matrix. */
import type { ClassificationPerformance, PerformanceReport } from './performance-report';

/** The report as text for a terminal; `-` stands for a value with no defined result (no labels, a class never predicted). */
export function formatPerformanceReport(report: PerformanceReport): string {
  if (report.task === 'regression') {
    return table(
      ['version', 'rows', 'labelled', 'MAE', 'RMSE'],
      [...report.versions, report.overall].map((p) => [
        p.version,
        String(p.rows),
        String(p.labelled),
        fmt(p.realised.mae),
        fmt(p.realised.rmse),
      ]),
    );
  }
  const estimated = report.overall.estimated !== undefined;
  const summary = table(
    ['version', 'rows', 'labelled', 'accuracy', 'macro F1', ...(estimated ? ['est. accuracy', 'est. macro F1'] : [])],
    [...report.versions, report.overall].map((p) => [
      p.version,
      String(p.rows),
      String(p.labelled),
      fmt(p.realised.accuracy),
      fmt(p.realised.macroF1),
      ...(estimated ? [fmt(p.estimated?.accuracy), fmt(p.estimated?.macroF1)] : []),
    ]),
  );
  return [summary, '', classTable(report.overall, estimated), '', confusionTable(report.classes, report.overall)].join(
    '\n',
  );
}

function classTable(overall: ClassificationPerformance, estimated: boolean): string {
  const header = ['class', 'precision', 'recall', 'F1', 'support'];
  if (estimated) header.push('est. precision', 'est. recall', 'est. F1');
  return table(
    header,
    overall.realised.classes.map((c, k) => {
      const e = overall.estimated?.classes[k];
      return [
        c.class,
        fmt(c.precision),
        fmt(c.recall),
        fmt(c.f1),
        String(c.support),
        ...(estimated ? [fmt(e?.precision), fmt(e?.recall), fmt(e?.f1)] : []),
      ];
    }),
  );
}

function confusionTable(classes: readonly string[], overall: ClassificationPerformance): string {
  return [
    'confusion matrix of the labelled rows (rows: predicted, columns: actual)',
    table(
      ['predicted', ...classes],
      classes.map((name, p) => [name, ...classes.map((_, a) => String(overall.confusion[p]?.[a] ?? 0))]),
    ),
  ].join('\n');
}

/** Columns padded to their widest cell: the first left-aligned, the rest right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Four significant digits; a dash for none. */
function fmt(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return String(Number(value.toPrecision(4)));
}
