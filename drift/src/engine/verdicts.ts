/**
 * From test results to verdicts. P-value tests: correct the p-values across the family
 * (Benjamini–Hochberg or Bonferroni), then a feature drifts when its adjusted p-value is below
 * alpha AND its effect size reaches the floor, so huge windows do not flag trivial shifts.
 * Distance tests: a feature drifts when the distance reaches its threshold; they take no part in
 * the correction (they have no p-value and no false-positive rate to control).
 */
import type { DriftSpec } from '../../../spec/src/schema';
import { isDistanceTest, type DriftTestName } from '../../../spec/src/drift-tests';
import { benjaminiHochberg, bonferroni } from '../stats';
import type { TestResult } from './test-result';

/** The parts of the spec's `drift:` section that verdicts depend on. */
export type DriftVerdictConfig = Pick<
  DriftSpec,
  'min_samples' | 'alpha' | 'correction' | 'dataset_drift_share' | 'effect_size_floor' | 'thresholds'
>;

/** The verdict on one test result. */
export interface Verdict {
  /** Corrected p-value for p-value tests, null for distance tests. */
  readonly adjustedPvalue: number | null;
  /** alpha for p-value tests, the distance threshold for distance tests. */
  readonly threshold: number;
  /** The effect-size floor for p-value tests, null for distance tests. */
  readonly effectSizeFloor: number | null;
  readonly drifted: boolean;
}

/** alpha for a p-value test, the configured threshold for a distance test. */
export function thresholdOf(test: DriftTestName, config: DriftVerdictConfig): number {
  return isDistanceTest(test) ? config.thresholds[test] : config.alpha;
}

/** The effect-size floor of a p-value test (KS D for ks/cvm/anderson, total variation for chi2), null for distances. */
export function effectSizeFloorOf(test: DriftTestName, config: DriftVerdictConfig): number | null {
  return isDistanceTest(test) ? null : config.effect_size_floor[test];
}

/**
 * Verdicts for one family of results (a model's features, or its outputs), in input order: p-values
 * are corrected together, distances judged alone. Throws a RangeError on a p-value outside [0, 1].
 */
export function decideVerdicts(results: readonly TestResult[], config: DriftVerdictConfig): Verdict[] {
  const pvalueAt: number[] = [];
  const pvalues: number[] = [];
  results.forEach((result, i) => {
    if (isDistanceTest(result.test) || result.pvalue === null) return;
    pvalueAt.push(i);
    pvalues.push(result.pvalue);
  });
  const adjusted = config.correction === 'bonferroni' ? bonferroni(pvalues) : benjaminiHochberg(pvalues);
  const adjustedByIndex = new Map(pvalueAt.map((index, k) => [index, adjusted[k] as number] as const));
  return results.map((result, i) => verdictOf(result, adjustedByIndex.get(i) ?? null, config));
}

function verdictOf(result: TestResult, adjustedPvalue: number | null, config: DriftVerdictConfig): Verdict {
  const test = result.test;
  if (isDistanceTest(test)) {
    const threshold = config.thresholds[test];
    return { adjustedPvalue: null, threshold, effectSizeFloor: null, drifted: result.statistic >= threshold };
  }
  const effectSizeFloor = config.effect_size_floor[test];
  const significant = adjustedPvalue !== null && adjustedPvalue < config.alpha;
  return {
    adjustedPvalue,
    threshold: config.alpha,
    effectSizeFloor,
    drifted: significant && result.effectSize >= effectSizeFloor,
  };
}
