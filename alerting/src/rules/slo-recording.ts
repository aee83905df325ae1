import { LABELS, METRICS, RECORDS, SLO_WINDOWS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import type { RuleGroup } from './rule-types';

/**
 * The two SLIs per model over every burn-rate window: the share of predictions that
 * failed, and the share slower than the latency target (an exact histogram bucket, so
 * the ratio is a count, not an interpolation).
 */
export function sloRecordingGroup(ctx: AlertingContext): RuleGroup {
  const { model } = LABELS;
  const target = String(ctx.spec.slo.latency_target_seconds);
  return {
    name: 'mlwatch-slo-recording',
    rules: SLO_WINDOWS.flatMap((window) => {
      const range = ctx.range(window);
      const total = `sum by (${model}) (rate(${METRICS.predictionsTotal}[${range}]))`;
      return [
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
    }),
  };
}
