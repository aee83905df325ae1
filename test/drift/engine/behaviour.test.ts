/**
 * Statistical behaviour of the verdict rules on seeded simulations: false alarms without drift,
 * power against real shifts, the effect-size floor on huge windows, and the auto test choice.
 * Each test prints its measured rates (console.log) next to the asserted bounds.
 */
import { Random } from '../../../cli/src/demo/random';
import type { DriftFeatureSpec } from '../../../drift/src/engine/drift-plan';
import { evaluateDrift } from '../../../drift/src/engine/evaluate-drift';
import type { DriftTestChoice } from '../../../spec/src/drift-tests';
import type { FeatureProfile } from '../../../drift/src/profile/reference-profile';
import {
  Stream,
  categoricalProfile,
  countsByName,
  driftConfig,
  numericProfileSorted,
  referenceProfile,
  snapshot,
} from './fixtures';

const FEATURES = 20;
const REFERENCE_SIZE = 5000;
const WINDOW_SIZE = 1000;
const REPETITIONS = 1000;
const NOW = new Date('2025-01-01T00:00:00Z');
/** Every window here is judged (the spec's default min_samples may change; the behaviour should not). */
const MIN_SAMPLES = { min_samples: 100 };

function numericFeatures(test: DriftTestChoice): DriftFeatureSpec[] {
  return Array.from({ length: FEATURES }, (_, i) => ({ name: `x${i}`, type: 'numeric', drift_test: test }));
}

function rate(count: number): string {
  return (count / REPETITIONS).toFixed(3);
}

/**
 * One repetition: twenty numeric features, each with a fresh reference and window from one distribution,
 * except `shifted` (if any) whose normal window is `shift` reference standard deviations off. Healthy
 * features come from Stream.nullPair, exact in law for KS and cheap enough for 1000 repetitions.
 */
function numericRepetition(stream: Stream, shifted?: { index: number; shift: number }) {
  const profiles: FeatureProfile[] = [];
  const windows: Record<string, Float64Array> = {};
  for (let i = 0; i < FEATURES; i++) {
    const name = `x${i}`;
    if (shifted?.index === i) {
      profiles.push(numericProfileSorted(name, stream.normals(REFERENCE_SIZE).sort()));
      windows[name] = stream.normals(WINDOW_SIZE, shifted.shift);
    } else {
      const { reference, window } = stream.nullPair(REFERENCE_SIZE, WINDOW_SIZE);
      profiles.push(numericProfileSorted(name, reference));
      windows[name] = window;
    }
  }
  return { profile: referenceProfile('m', profiles), window: snapshot('m', { numeric: windows }) };
}

describe('KS with Benjamini–Hochberg on twenty numeric features', () => {
  test('without drift, fewer than 6% of windows flag any feature, where uncorrected p-values would flag about 64%', () => {
    const stream = new Stream(new Random(20250101));
    // Floors off: this measures the correction alone (a floor could only lower the rate).
    const config = driftConfig({ ...MIN_SAMPLES, effect_size_floor: { ks: 0, chi2: 0, cvm: 0, anderson: 0 } });
    const features = numericFeatures('ks');
    let flagged = 0;
    let anyRawBelowAlpha = 0;
    for (let r = 0; r < REPETITIONS; r++) {
      const { profile, window } = numericRepetition(stream);
      const report = evaluateDrift(window, profile, config, features, { now: NOW });
      if (report.drifted === true) flagged++;
      if (report.features.some((f) => (f.pvalue as number) < config.alpha)) anyRawBelowAlpha++;
    }
    console.log(
      `no drift, KS + BH, ${FEATURES} features, reference ${REFERENCE_SIZE}, window ${WINDOW_SIZE}, ${REPETITIONS} repetitions:\n` +
        `  any feature drifted after correction: ${rate(flagged)} (bound 0.06)\n` +
        `  any raw p < 0.05 (no correction):      ${rate(anyRawBelowAlpha)} (1 - 0.95^20 = 0.642)`,
    );
    expect(flagged / REPETITIONS).toBeLessThanOrEqual(0.06);
    expect(anyRawBelowAlpha / REPETITIONS).toBeGreaterThan(0.55);
  });

  test('a 0.5σ mean shift in one feature is flagged in at least 99% of windows', () => {
    const stream = new Stream(new Random(7));
    const config = driftConfig(MIN_SAMPLES);
    const features = numericFeatures('ks');
    let flagged = 0;
    let othersFlagged = 0;
    for (let r = 0; r < REPETITIONS; r++) {
      const { profile, window } = numericRepetition(stream, { index: 3, shift: 0.5 });
      const report = evaluateDrift(window, profile, config, features, { now: NOW });
      if (report.features[3]?.drifted === true) flagged++;
      othersFlagged += report.features.filter((f, i) => i !== 3 && f.drifted).length;
    }
    console.log(
      `0.5σ shift in 1 of ${FEATURES} features, KS + BH (floor D >= ${config.effect_size_floor.ks}), window ${WINDOW_SIZE}: ` +
        `flagged in ${rate(flagged)} of windows (bound 0.99); healthy features flagged: ${othersFlagged} of ${REPETITIONS * (FEATURES - 1)}`,
    );
    expect(flagged / REPETITIONS).toBeGreaterThanOrEqual(0.99);
  });
});

describe('chi-square with Benjamini–Hochberg on twenty categorical features', () => {
  const names = ['a', 'b', 'c', 'd'];
  const shares = [0.4, 0.3, 0.2, 0.1];
  const features: DriftFeatureSpec[] = Array.from({ length: FEATURES }, (_, i) => ({
    name: `c${i}`,
    type: 'categorical',
    categories: names,
    drift_test: 'chi2',
  }));

  function categoricalRepetition(stream: Stream, shiftedIndex: number, windowShares: readonly number[]) {
    const profiles: FeatureProfile[] = [];
    const windows: Record<string, Int32Array> = {};
    for (let i = 0; i < FEATURES; i++) {
      profiles.push(categoricalProfile(`c${i}`, countsByName(stream.codes(REFERENCE_SIZE, shares), names)));
      windows[`c${i}`] = stream.codes(WINDOW_SIZE, i === shiftedIndex ? windowShares : shares);
    }
    return { profile: referenceProfile('m', profiles), window: snapshot('m', { categorical: windows }) };
  }

  test('a 10-point shift in one category share of one feature is flagged in at least 95% of windows', () => {
    const stream = new Stream(new Random(11));
    const config = driftConfig(MIN_SAMPLES);
    let flagged = 0;
    let healthyWindowsFlagged = 0;
    for (let r = 0; r < REPETITIONS; r++) {
      // Category "a" goes from 40% to 50% of the window, "b" from 30% to 20%.
      const { profile, window } = categoricalRepetition(stream, 5, [0.5, 0.2, 0.2, 0.1]);
      const report = evaluateDrift(window, profile, config, features, { now: NOW });
      if (report.features[5]?.drifted === true) flagged++;
      if (report.features.some((f, i) => i !== 5 && f.drifted)) healthyWindowsFlagged++;
    }
    console.log(
      `10-point share shift in 1 of ${FEATURES} categorical features, chi2 + BH (floor TVD >= ${config.effect_size_floor.chi2}), window ${WINDOW_SIZE}: ` +
        `flagged in ${rate(flagged)} of windows (bound 0.95); windows where a healthy feature was flagged: ${rate(healthyWindowsFlagged)}`,
    );
    expect(flagged / REPETITIONS).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the effect-size floor on huge windows', () => {
  test('a 0.05σ shift with 50,000 values on each side is significant by p-value alone but not drift once KS D >= 0.1 is required', () => {
    const random = new Random(5);
    const features: DriftFeatureSpec[] = [{ name: 'x', type: 'numeric', drift_test: 'ks' }];
    const noFloor = driftConfig({ ...MIN_SAMPLES, window_size: 50_000, effect_size_floor: { ks: 0 } });
    const floor = driftConfig({ ...MIN_SAMPLES, window_size: 50_000, effect_size_floor: { ks: 0.1 } });
    for (let r = 0; r < 5; r++) {
      const stream = new Stream(random);
      const profile = referenceProfile('m', [numericProfileSorted('x', stream.normals(50_000).sort())]);
      const window = snapshot('m', { numeric: { x: stream.normals(50_000, 0.05) } });
      const withoutFloor = evaluateDrift(window, profile, noFloor, features, { now: NOW }).features[0];
      const withFloor = evaluateDrift(window, profile, floor, features, { now: NOW }).features[0];
      console.log(
        `0.05σ shift, 50,000 vs 50,000, KS: D = ${withoutFloor?.effect_size?.toFixed(4)}, p = ${withoutFloor?.pvalue?.toExponential(2)}; ` +
          `drifted without floor: ${withoutFloor?.drifted}, with floor D >= 0.1: ${withFloor?.drifted}`,
      );
      expect(withoutFloor?.adjusted_pvalue).toBeLessThan(0.001);
      expect(withoutFloor?.drifted).toBe(true);
      expect(withFloor?.pvalue).toBe(withoutFloor?.pvalue);
      expect(withFloor?.drifted).toBe(false);
    }
  });
});

describe('auto test choice', () => {
  const SMALL = 500;
  const LARGE = 5000;
  const fewCategories = ['a', 'b', 'c'];
  const manyCategories = Array.from({ length: 12 }, (_, i) => `k${i}`);
  const shares = (k: number): number[] => Array.from({ length: k }, (_, i) => k - i);

  /** A reference profile and a healthy window for one case of the table. */
  function caseOf(stream: Stream, type: 'numeric' | 'categorical', size: number, many: boolean) {
    if (type === 'numeric') {
      // Few distinct values: counts 0 … 3, like a number of children; many: a continuous amount.
      const draw = (n: number): Float64Array =>
        many ? stream.normals(n, 50, 10) : Float64Array.from(stream.codes(n, shares(4)));
      return {
        profile: numericProfileSorted('f', draw(size).sort()),
        feature: { name: 'f', type, drift_test: 'auto' } as DriftFeatureSpec,
        window: { numeric: { f: draw(WINDOW_SIZE) } },
      };
    }
    const names = many ? manyCategories : fewCategories;
    const feature: DriftFeatureSpec = { name: 'f', type, categories: names, drift_test: 'auto' };
    return {
      profile: categoricalProfile('f', countsByName(stream.codes(size, shares(names.length)), names)),
      feature,
      window: { categorical: { f: stream.codes(WINDOW_SIZE, shares(names.length)) } },
    };
  }

  test.each([
    ['numeric', SMALL, 'many distinct values', 'ks'],
    ['numeric', SMALL, 'few distinct values', 'chi2'],
    ['numeric', LARGE, 'many distinct values', 'wasserstein'],
    ['numeric', LARGE, 'few distinct values', 'jensenshannon'],
    ['categorical', SMALL, 'many categories', 'chi2'],
    ['categorical', SMALL, 'few categories', 'chi2'],
    ['categorical', LARGE, 'many categories', 'jensenshannon'],
    ['categorical', LARGE, 'few categories', 'jensenshannon'],
  ] as const)(
    'auto tests a %s feature with %i reference values and %s with %s',
    (type, size, cardinality, expected) => {
      const many = cardinality.startsWith('many');
      const stream = new Stream(new Random(size + (many ? 1 : 0)));
      const { profile, feature, window } = caseOf(stream, type, size, many);
      const report = evaluateDrift(
        snapshot('m', window),
        referenceProfile('m', [profile]),
        driftConfig(MIN_SAMPLES),
        [feature],
        { now: NOW },
      );
      expect(report.features[0]).toMatchObject({ test: expected, status: 'ok', drifted: false });
    },
  );
});
