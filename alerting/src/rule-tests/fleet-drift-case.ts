import { FLEET_BIN_COUNT, METRICS, OTHER_CATEGORY, RECORDS, binLabel } from '../../../spec/src/conventions';
import { psi } from '../../../drift/src/stats';
import type { AlertingContext } from '../alerting-context';
import { EXPORTER_JOB } from '../../../spec/src/conventions';
import type { RuleTestSuite } from '../alerts/alert-definition';
import { constant, counter, seriesName, type InputSeries } from '../alerts/input-series';

/** A PromQL expression and the value it must have, compared as `abs(expr - value) < bool 1e-9`. */
export interface ExpectedValue {
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Recorded values at one time against hand-computed ones: the fleet drift, quality, canary and outcome cases. */
export interface ValueCase {
  readonly name: string;
  readonly intervalSeconds: number;
  /** How often promtool evaluates the rules; default: once per sample. */
  readonly evaluationSeconds?: number;
  readonly evalAtSeconds: number;
  readonly series: readonly InputSeries[];
  readonly expected: readonly ExpectedValue[];
  /** The rule groups the case loads, when not all of them. */
  readonly suite?: RuleTestSuite;
}

export type FleetDriftCase = Omit<ValueCase, 'name'>;

/** Events per second each replica counts into each bin (two replicas with different mixes). */
const REPLICA_BIN_RATES: readonly (readonly number[])[] = [
  [0.5, 0.4, 0.3, 0.3, 0.2, 0, 0.2, 0.1, 0.1, 0.4],
  [0.1, 0.2, 0.3, 0.2, 0.2, 0.1, 0, 0.3, 0.2, 0.6],
];
/** Reference shares of the bins; one empty, as repeated decile edges of a discrete feature make. */
const REFERENCE_BIN_SHARES: readonly number[] = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0, 0.1, 0.1];

const CATEGORIES = ['card', 'cash', OTHER_CATEGORY] as const;
const REPLICA_CATEGORY_RATES: readonly (readonly number[])[] = [
  [0.6, 0.3, 0.1],
  [0.2, 0.5, 0],
];
const REFERENCE_CATEGORY_SHARES: readonly number[] = [0.7, 0.3, 0];

/**
 * The fleet PSI and binned KS recording rules against values computed here by hand from
 * the counts the two replicas add over the fleet window: PSI by the exporter's own PSI
 * (checked against SciPy/NumPy), KS as the largest gap between cumulative shares.
 */
export function fleetDriftCase(ctx: AlertingContext): FleetDriftCase {
  const model = ctx.spec.models[0]?.name as string;
  const window = ctx.fleetWindow;
  const windowSeconds = ctx.spec.drift.fleet_window_seconds;
  const numeric = 'fleet_numeric_feature';
  const categorical = 'fleet_categorical_feature';
  const series: InputSeries[] = [];
  REPLICA_BIN_RATES.forEach((rates, replica) => {
    const target = { job: EXPORTER_JOB, instance: `exporter-${replica}:9420` };
    rates.forEach((rate, i) => {
      series.push({
        series: seriesName(METRICS.featureBinTotal, { ...target, model, feature: numeric, bin: binLabel(i) }),
        values: counter(rate),
      });
      series.push({
        series: seriesName(METRICS.featureReferenceRatio, { ...target, model, feature: numeric, bin: binLabel(i) }),
        values: constant(REFERENCE_BIN_SHARES[i] as number),
      });
    });
    REPLICA_CATEGORY_RATES[replica]?.forEach((rate, i) => {
      const category = CATEGORIES[i] as string;
      series.push({
        series: seriesName(METRICS.featureCategoryTotal, { ...target, model, feature: categorical, category }),
        values: counter(rate),
      });
      series.push({
        series: seriesName(METRICS.featureReferenceRatio, { ...target, model, feature: categorical, category }),
        values: constant(REFERENCE_CATEGORY_SHARES[i] as number),
      });
    });
  });

  const binShares = fleetShares(REPLICA_BIN_RATES);
  const categoryShares = fleetShares(REPLICA_CATEGORY_RATES);
  const fleetEvents = (rates: readonly (readonly number[])[]) =>
    rates.flat().reduce((a, b) => a + b, 0) * windowSeconds;
  const select = (record: string, feature: string) => `${record}{model="${model}",feature="${feature}"}`;
  return {
    intervalSeconds: 60,
    evalAtSeconds: windowSeconds + 600,
    series,
    expected: [
      {
        expr: select(RECORDS.fleetPsi(window), numeric),
        labels: { model, feature: numeric },
        value: psi(REFERENCE_BIN_SHARES, binShares),
      },
      {
        expr: select(RECORDS.fleetPsi(window), categorical),
        labels: { model, feature: categorical },
        value: psi(REFERENCE_CATEGORY_SHARES, categoryShares),
      },
      {
        expr: select(RECORDS.fleetKs(window), numeric),
        labels: { model, feature: numeric },
        value: cumulativeGap(REFERENCE_BIN_SHARES, binShares),
      },
      {
        expr: select(RECORDS.fleetEvents(window), numeric),
        labels: { model, feature: numeric },
        value: fleetEvents(REPLICA_BIN_RATES) / ctx.profile.timeCompression,
      },
    ],
  };
}

/** Shares of the whole fleet: the replicas' counts added per bin, over their total. */
function fleetShares(replicaRates: readonly (readonly number[])[]): number[] {
  const width = replicaRates[0]?.length ?? 0;
  const totals = Array.from({ length: width }, (_, i) =>
    replicaRates.reduce((sum, rates) => sum + (rates[i] as number), 0),
  );
  const all = totals.reduce((a, b) => a + b, 0);
  return totals.map((t) => t / all);
}

/** Largest absolute difference between the running sums of two share vectors. */
function cumulativeGap(reference: readonly number[], current: readonly number[]): number {
  let gap = 0;
  let ref = 0;
  let cur = 0;
  for (let i = 0; i < FLEET_BIN_COUNT; i++) {
    ref += reference[i] as number;
    cur += current[i] as number;
    gap = Math.max(gap, Math.abs(cur - ref));
  }
  return gap;
}
