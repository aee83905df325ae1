import { FLEET_BIN_COUNT, LABELS, METRICS, RECORDS, binLabel } from '../../../spec/src/conventions';
import { PSI_EPSILON } from '../../../drift/src/stats';
import type { AlertingContext } from '../alerting-context';
import type { RuleGroup } from './rule-types';

const { model, feature } = LABELS;
const BY_FEATURE = `${model}, ${feature}`;

/**
 * The fleet tier of drift in PromQL. Counters from every replica add up, so the shares over
 * the fleet window are the whole fleet's; reference ratios are the same on every replica,
 * so `max` collapses them. PSI treats an empty bin as {@link PSI_EPSILON}, exactly as the
 * exporter's PSI does; the binned KS distance is the largest gap between cumulative shares,
 * accumulated over the zero-padded bin index. Rules of a group run in order, so later rules
 * read the shares recorded in the same evaluation.
 */
export function fleetDriftRecordingGroup(ctx: AlertingContext): RuleGroup {
  const range = ctx.range(ctx.fleetWindow);
  const window = ctx.fleetWindow;
  const increase = (metric: string, by: string): string => `sum by (${by}) (increase(${metric}[${range}]))`;
  const share = (metric: string, key: string): string =>
    `${increase(metric, `${BY_FEATURE}, ${key}`)}\n/ on (${BY_FEATURE}) group_left ()\n(${increase(metric, BY_FEATURE)} > 0)`;
  return {
    name: 'mlwatch-fleet-drift-recording',
    rules: [
      {
        record: RECORDS.fleetEvents(window),
        expr: `${increase(METRICS.featureBinTotal, BY_FEATURE)}\nor\n${increase(METRICS.featureCategoryTotal, BY_FEATURE)}`,
      },
      { record: RECORDS.fleetBinShare(window), expr: share(METRICS.featureBinTotal, 'bin') },
      { record: RECORDS.fleetCategoryShare(window), expr: share(METRICS.featureCategoryTotal, 'category') },
      {
        record: RECORDS.referenceBinRatio,
        expr: `max by (${BY_FEATURE}, bin) (${METRICS.featureReferenceRatio}{bin!=""})`,
      },
      {
        record: RECORDS.referenceCategoryRatio,
        expr: `max by (${BY_FEATURE}, category) (${METRICS.featureReferenceRatio}{category!=""})`,
      },
      { record: RECORDS.fleetBinCumulativeShare(window), expr: cumulativeOverBins(RECORDS.fleetBinShare(window)) },
      { record: RECORDS.referenceBinCumulativeRatio, expr: cumulativeOverBins(RECORDS.referenceBinRatio) },
      {
        record: RECORDS.fleetKs(window),
        expr: `max by (${BY_FEATURE}) (abs(${RECORDS.fleetBinCumulativeShare(window)} - ${RECORDS.referenceBinCumulativeRatio}))`,
      },
      {
        record: RECORDS.fleetPsi(window),
        expr: `${psiTerms(RECORDS.fleetBinShare(window), RECORDS.referenceBinRatio)}\nor\n${psiTerms(RECORDS.fleetCategoryShare(window), RECORDS.referenceCategoryRatio)}`,
      },
    ],
  };
}

/** Cumulative sum over bins 00..k for every k, written back under bin k. */
function cumulativeOverBins(metric: string): string {
  const parts: string[] = [];
  for (let k = 0; k < FLEET_BIN_COUNT; k++) {
    const upTo = Array.from({ length: k + 1 }, (_, i) => binLabel(i)).join('|');
    parts.push(`label_replace(sum by (${BY_FEATURE}) (${metric}{bin=~"${upTo}"}), "bin", "${binLabel(k)}", "", "")`);
  }
  return parts.join('\nor\n');
}

/** PSI summed over bins or categories; an exact zero share becomes epsilon, as in the exporter. */
function psiTerms(current: string, reference: string): string {
  const withEpsilon = (metric: string): string => `(${metric} > 0 or ${metric} * 0 + ${PSI_EPSILON})`;
  const c = withEpsilon(current);
  const r = withEpsilon(reference);
  return `sum by (${BY_FEATURE}) (\n  (${c} - ${r})\n  * ln(${c} / ${r})\n)`;
}
