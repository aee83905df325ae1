import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { METRICS } from '../../spec/src/conventions';
import {
  DRIFT_TESTS,
  isDistanceTest,
  possibleDriftTests,
  type DistanceTestName,
  type DriftTestName,
} from '../../spec/src/drift-tests';
import { GRID_WIDTH } from './common/layout';
import { redBelow, redFrom, timeSeriesPanel, type Placed } from './common/panels';
import { sel } from './common/queries';
import { FEATURE_FILTER } from './common/filters';

/** Each drift test in plain words, as panel titles name it. */
export const DRIFT_TEST_TITLES: Readonly<Record<DriftTestName, string>> = {
  ks: 'Kolmogorov–Smirnov',
  chi2: 'Chi-square',
  psi: 'PSI',
  jensenshannon: 'Jensen–Shannon distance',
  wasserstein: 'Wasserstein distance (normalised)',
  cvm: 'Cramér–von Mises',
  anderson: 'Anderson–Darling',
};

/** What the effect-size floor of a p-value test measures. */
const EFFECT_SIZE: Readonly<Record<Exclude<DriftTestName, DistanceTestName>, string>> = {
  ks: 'KS distance D',
  cvm: 'KS distance D',
  anderson: 'KS distance D',
  chi2: 'total variation distance',
};

const CORRECTIONS: Readonly<Record<Spec['drift']['correction'], string>> = {
  benjamini_hochberg: 'Benjamini–Hochberg',
  bonferroni: 'Bonferroni',
};

/**
 * One panel per drift test with the threshold its verdict uses drawn: a distance test's score
 * against `drift.thresholds`, for every distance test a feature may run (explicitly or under
 * `auto`); a p-value test's corrected p-value against `drift.alpha`, for every p-value test a
 * feature declares. Which test `auto` picks depends on the reference's size, which generation
 * does not read: `auto` runs p-value tests only on references of at most 1,000 values, and the
 * Feature drift table shows their corrected p-values beside their verdicts. Lines of two panels.
 */
export function driftTestPanels(spec: Spec, filters: readonly string[]): Placed[][] {
  const features = spec.models.flatMap((m) => m.features);
  const tests = DRIFT_TESTS.filter((test) =>
    features.some((f) => (isDistanceTest(test) ? possibleDriftTests(f).includes(test) : f.drift_test === test)),
  );
  const panels = tests.map((test, i) => {
    const width = i === tests.length - 1 && tests.length % 2 === 1 ? GRID_WIDTH : GRID_WIDTH / 2;
    return isDistanceTest(test) ? distancePanel(spec, test, filters, width) : pvaluePanel(spec, test, filters, width);
  });
  return Array.from({ length: Math.ceil(panels.length / 2) }, (_, i) => panels.slice(2 * i, 2 * i + 2));
}

function byFeature(metric: string, filters: readonly string[], test: DriftTestName): string {
  return `max by (feature) (${sel(metric, ...filters, FEATURE_FILTER, `test="${test}"`)})`;
}

function distancePanel(spec: Spec, test: DistanceTestName, filters: readonly string[], width: number): Placed {
  const threshold = spec.drift.thresholds[test];
  return timeSeriesPanel({
    title: `${DRIFT_TEST_TITLES[test]} by feature`,
    description: `${DRIFT_TEST_TITLES[test]} of each selected feature tested with ${test} at each evaluation; the dashed line is its threshold ${threshold} (drift.thresholds.${test}), from which the feature drifts.`,
    unit: units.Short,
    width,
    min: 0,
    steps: redFrom(threshold),
    queries: [{ expr: byFeature(METRICS.featureDriftScore, filters, test), legend: '{{feature}}' }],
  });
}

function pvaluePanel(
  spec: Spec,
  test: Exclude<DriftTestName, DistanceTestName>,
  filters: readonly string[],
  width: number,
): Placed {
  const { alpha, correction } = spec.drift;
  return timeSeriesPanel({
    title: `${DRIFT_TEST_TITLES[test]}: corrected p-value by feature`,
    description: `p-value of each selected feature tested with ${test}, after the ${CORRECTIONS[correction]} correction; the dashed line is alpha ${alpha}, below which the feature drifts if its ${EFFECT_SIZE[test]} reaches ${spec.drift.effect_size_floor[test]}.`,
    unit: units.NoUnit,
    width,
    min: 0,
    max: 1,
    steps: redBelow(alpha),
    queries: [{ expr: byFeature(METRICS.featureDriftCorrectedPvalue, filters, test), legend: '{{feature}}' }],
  });
}

/** The multiple-testing correction in words. */
export function correctionName(spec: Spec): string {
  return CORRECTIONS[spec.drift.correction];
}
