import { DRIFT_TESTS, isDistanceTest, type DistanceTestName, type DriftTestName } from '../../../spec/src/drift-tests';
import type { AlertingContext } from '../alerting-context';
import type { AnnotationTemplate, TemplatePart } from './annotation-template';
import { formatGoG } from './go-format';

/** What the score gauge of each test holds, in plain words. */
const STATISTIC: Record<DriftTestName, string> = {
  ks: 'Kolmogorov–Smirnov distance D (the largest gap between the two cumulative distributions)',
  cvm: 'Cramér–von Mises statistic',
  anderson: 'Anderson–Darling statistic',
  chi2: 'chi-squared statistic',
  psi: 'population stability index (PSI)',
  jensenshannon: 'Jensen–Shannon distance',
  wasserstein: "Wasserstein distance (normalised by the reference's standard deviation)",
};

type PValueTestName = Exclude<DriftTestName, DistanceTestName>;

/** The p-value each p-value test's verdict reads. */
const PVALUE: Record<PValueTestName, string> = {
  ks: 'KS test p-value',
  cvm: 'Cramér–von Mises test p-value',
  anderson: 'Anderson–Darling significance level (capped to 0.001–0.25)',
  chi2: 'chi-squared test p-value',
};

/** The effect size a significant p-value test must also show. */
const EFFECT_SIZE: Record<PValueTestName, string> = {
  ks: 'KS distance D',
  cvm: 'KS distance D',
  anderson: 'KS distance D',
  chi2: 'total variation distance between the category shares',
};

const CORRECTION: Record<AlertingContext['spec']['drift']['correction'], string> = {
  benjamini_hochberg: 'Benjamini–Hochberg',
  bonferroni: 'Bonferroni',
};

const number = (value: number) => formatGoG(value, 4);

/**
 * The measured value and the rule that made it drift, for the test in the alert's `test` label:
 * the statistic by name with `$value`, then for a p-value test the corrected p-value against
 * `drift.alpha` and the effect-size floor, for a distance test its threshold. Each test's kind
 * comes from the drift-test table (`spec/src/drift-tests.ts`), so nothing is claimed that the test does not do.
 */
export function driftVerdictText(ctx: AlertingContext): TemplatePart {
  const drift = ctx.spec.drift;
  const cases = Object.fromEntries(
    DRIFT_TESTS.map((test): [string, AnnotationTemplate] => {
      const measured: TemplatePart[] = [`${STATISTIC[test]} `, { value: 'number' }];
      if (isDistanceTest(test)) {
        const threshold = drift.thresholds[test];
        return [test, [...measured, `, at or above its threshold of ${number(threshold)} (drift.thresholds.${test})`]];
      }
      const floor = drift.effect_size_floor[test];
      return [
        test,
        [
          ...measured,
          `; it counts as drift because the ${PVALUE[test]} after ${CORRECTION[drift.correction]} correction is below ` +
            `${number(drift.alpha)} (drift.alpha) and the ${EFFECT_SIZE[test]} is at least ${number(floor)} ` +
            `(drift.effect_size_floor.${test})`,
        ],
      ];
    }),
  );
  return { switch: 'test', cases };
}
