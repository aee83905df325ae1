import { LABELS, METRICS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { formatDuration } from '../prometheus-duration';

/** ` offset 5m` for a production offset in seconds, at the profile's length; nothing for 0. */
export function offsetClause(ctx: AlertingContext, offsetSeconds: number): string {
  return offsetSeconds === 0 ? '' : ` offset ${ctx.range(formatDuration(offsetSeconds))}`;
}

/**
 * Successful predictions of a model per version over a window that ends `offsetSeconds` ago: the
 * predictions old enough to have their label (or outcome) by now, the denominator of coverage and
 * of the outcome rates. `matchers` (`,version="v1"`) narrow it further.
 */
export function successfulPredictions(
  ctx: AlertingContext,
  model: string,
  window: string,
  offsetSeconds: number,
  matchers = '',
): string {
  const { model: MODEL, version: VERSION } = LABELS;
  return `sum by (${MODEL}, ${VERSION}) (increase(${METRICS.predictionsTotal}{${MODEL}="${model}"${matchers},status="success"}[${ctx.range(window)}]${offsetClause(ctx, offsetSeconds)}))`;
}
