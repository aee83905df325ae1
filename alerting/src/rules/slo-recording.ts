import { LABELS, METRICS, RECORDS, SLO_WINDOWS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { BURN_RATE_PAIRS } from '../error-budget';
import type { RuleGroup } from './rule-types';

/**
 * The two SLIs per model over every burn-rate window: the share of predictions that
 * failed, and the share slower than the latency target (an exact histogram bucket, so
 * the ratio is a count, not an interpolation). Over each long window also the SLIs' event
 * counts, which the burn-rate alerts compare with `slo.min_events`.
 */
export function sloRecordingGroup(ctx: AlertingContext): RuleGroup {
  const { model } = LABELS;
  const target = String(ctx.spec.slo.latency_target_seconds);
  const longWindows = new Set(BURN_RATE_PAIRS.map((pair) => pair.long));
  return {
    name: 'mlwatch-slo-recording',
    rules: SLO_WINDOWS.flatMap((window) => {
      const range = ctx.range(window);
      const total = `sum by (${model}) (rate(${METRICS.predictionsTotal}[${range}]))`;
      const ratios = [
        {
          record: RECORDS.errorRatio(window),
          expr: `sum by (${model}) (rate(${METRICS.predictionsTotal}{status="error"}[${range}]))\n/\n${total}`,
        },
        {
          record: RECORDS.latencyOverTargetRatio(window),
          expr:
            `1 - (\n  sum by (${model}) (rate(${METRICS.predictionLatencySeconds}_bucket{le="${target}"}[${range}]))\n  /\n` +
            `  sum by (${model}) (rate(${METRICS.predictionLatencySeconds}_count[${range}]))\n)`,
        },
      ];
      if (!longWindows.has(window)) return ratios;
      return [
        ...ratios,
        {
          record: RECORDS.predictionsIncrease(window),
          expr: `sum by (${model}) (increase(${METRICS.predictionsTotal}[${range}]))`,
        },
        {
          record: RECORDS.latencyObservationsIncrease(window),
          expr: `sum by (${model}) (increase(${METRICS.predictionLatencySeconds}_count[${range}]))`,
        },
      ];
    }),
  };
}
