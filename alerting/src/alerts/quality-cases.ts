import { METRICS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { formatDuration } from '../prometheus-duration';
import { qualityModels, type QualityModel } from '../rules/quality-recording';
import type { AlertCase, ExpectedAlert } from './alert-definition';
import { modelSwitch, type AnnotationTemplate, type TemplatePart } from './annotation-template';
import { EXPORTER_TARGET, settledAt } from './case-helpers';
import { counter, seriesName, type InputSeries } from './input-series';

/** Rule group (and file) of the quality alerts. */
export const QUALITY_ALERT_GROUP = 'mlwatch-quality-alerts';

/** The model a quality alert's cases use, and the time grid of its window. */
export interface QualityFixture {
  readonly target: QualityModel;
  readonly model: string;
  readonly version: string;
  readonly classes: readonly string[];
  /** Production name of the alerts' window (`1h`). */
  readonly window: string;
  readonly windowSeconds: number;
  /** Sixty samples per window, at least a minute apart. */
  readonly intervalSeconds: number;
}

/** The first model with labels that `has` accepts, as a case fixture; undefined when there is none. */
export function qualityFixture(
  ctx: AlertingContext,
  has: (target: QualityModel) => boolean,
): QualityFixture | undefined {
  const target = qualityModels(ctx.spec).find(has);
  if (target === undefined) return undefined;
  const windowSeconds = target.quality.windows_seconds[0] as number;
  return {
    target,
    model: target.model.name,
    version: target.model.versions[0]?.name as string,
    classes: target.model.classes ?? [],
    window: formatDuration(windowSeconds),
    windowSeconds,
    intervalSeconds: Math.max(60, windowSeconds / 60),
  };
}

/** The models with labels that `has` accepts: an optional alert has one form per such model. */
export function targetsWith(ctx: AlertingContext, has: (target: QualityModel) => boolean): QualityModel[] {
  return qualityModels(ctx.spec).filter(has);
}

/** A template part that says one thing per model, chosen by the alert's `model` label. */
export function perModel(
  ctx: AlertingContext,
  has: (target: QualityModel) => boolean,
  body: (target: QualityModel) => AnnotationTemplate,
): TemplatePart {
  return modelSwitch(targetsWith(ctx, has), body);
}

/**
 * A counter of the fixture's model and version that grows by `count` over each window, whatever
 * the profile compresses: the recording rules see exactly `count` in their window.
 */
export function windowCounter(
  ctx: AlertingContext,
  fx: Pick<QualityFixture, 'model' | 'version' | 'windowSeconds'>,
  metric: string,
  labels: Readonly<Record<string, string>>,
  count: number,
): InputSeries {
  return {
    series: seriesName(metric, { ...EXPORTER_TARGET, model: fx.model, version: fx.version, ...labels }),
    values: counter((count * ctx.profile.timeCompression) / fx.windowSeconds),
  };
}

/** One cell of a confusion matrix: labels (or expected counts) per window. */
export interface Cell {
  readonly predicted: string;
  readonly actual: string;
  readonly count: number;
}

/** The cells of a confusion-matrix counter; empty cells get no series, as a lazy exporter would. */
export function confusion(
  ctx: AlertingContext,
  fx: QualityFixture,
  metric: string,
  cells: readonly Cell[],
): InputSeries[] {
  return cells
    .filter((cell) => cell.count > 0)
    .map((cell) => windowCounter(ctx, fx, metric, { predicted: cell.predicted, actual: cell.actual }, cell.count));
}

/** Successful predictions per window (coverage's denominator and the estimate's minimum). */
export function predictions(ctx: AlertingContext, fx: QualityFixture, count: number): InputSeries {
  return windowCounter(ctx, fx, METRICS.predictionsTotal, { status: 'success' }, count);
}

/** Labels just past a ratio floor on the unsafe side (`below`) or just on the safe side (`above`), out of `total`. */
export function countsAround(floor: number, total: number): { below: number; above: number } {
  return { below: Math.max(0, Math.ceil(floor * total) - 1), above: Math.floor(floor * total) + 1 };
}

/** Labels a window holds in the cases that may fire: at least the minimum, and enough that one label is a small step. */
export function enoughLabels(target: QualityModel): number {
  return Math.max(2 * target.quality.min_labels, 200);
}

/** A case on the fixture's grid, evaluated once the window (plus `leadSeconds`) filled and `for` held. */
export function qualityCase(
  fx: QualityFixture,
  title: string,
  forSeconds: number,
  series: readonly InputSeries[],
  expected: readonly ExpectedAlert[],
  leadSeconds = 0,
): AlertCase {
  return {
    title,
    intervalSeconds: fx.intervalSeconds,
    evaluationSeconds: fx.intervalSeconds,
    evalAtSeconds: settledAt(fx.windowSeconds + leadSeconds, forSeconds, fx.intervalSeconds),
    series,
    expected,
  };
}
