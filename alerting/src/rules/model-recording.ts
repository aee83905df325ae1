import { LABELS, METRICS, RATE_WINDOW, RECORDS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import type { RuleGroup } from './rule-types';

/** What the model says: mean confidence and the share of each predicted class, per version. */
export function modelRecordingGroup(ctx: AlertingContext): RuleGroup {
  const range = ctx.range(RATE_WINDOW);
  const { model, version } = LABELS;
  const by = `${model}, ${version}`;
  const classRate = (labels: string): string => `sum by (${labels}) (rate(${METRICS.predictedClassTotal}[${range}]))`;
  return {
    name: 'mlwatch-model-recording',
    rules: [
      {
        record: RECORDS.meanConfidence,
        expr: `sum by (${by}) (rate(${METRICS.predictionConfidence}_sum[${range}]))\n/\nsum by (${by}) (rate(${METRICS.predictionConfidence}_count[${range}]))`,
      },
      {
        record: RECORDS.classShare,
        expr: `${classRate(`${by}, ${LABELS.class}`)}\n/ ignoring (${LABELS.class}) group_left ()\n${classRate(by)}`,
      },
    ],
  };
}
