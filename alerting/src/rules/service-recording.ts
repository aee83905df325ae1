import { LABELS, METRICS, RATE_WINDOW, RECORDS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import type { RuleGroup } from './rule-types';

const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

/** Name of the group (and file) of the service rules. */
export const SERVICE_RECORDING_GROUP = 'mlwatch-service-recording';

/** Throughput, errors and latency per model version, as dashboards and alerts read them. */
export function serviceRecordingGroup(ctx: AlertingContext): RuleGroup {
  const range = ctx.range(RATE_WINDOW);
  const { model, version, status, reason } = LABELS;
  const rate = (selector: string, by: string): string => `sum by (${by}) (rate(${selector}[${range}]))`;
  return {
    name: SERVICE_RECORDING_GROUP,
    rules: [
      { record: RECORDS.predictionRate, expr: rate(METRICS.predictionsTotal, `${model}, ${version}, ${status}`) },
      { record: RECORDS.modelPredictionRate, expr: rate(METRICS.predictionsTotal, model) },
      {
        record: RECORDS.versionErrorRatio,
        expr: `${rate(`${METRICS.predictionsTotal}{${status}="error"}`, `${model}, ${version}`)}\n/\n${rate(METRICS.predictionsTotal, `${model}, ${version}`)}`,
      },
      ...QUANTILES.map(([name, q]) => ({
        record: RECORDS.latencyQuantile(name),
        expr: `histogram_quantile(${q}, ${rate(`${METRICS.predictionLatencySeconds}_bucket`, `${model}, ${version}, le`)})`,
      })),
      { record: RECORDS.rejectedRate, expr: rate(METRICS.rejectedEventsTotal, reason) },
    ],
  };
}
