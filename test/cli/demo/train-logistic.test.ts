import { Random } from '../../../cli/src/demo/random';
import {
  roundSignificant,
  trainLogistic,
  type LabelledRow,
  type LogisticTrainingOptions,
} from '../../../cli/src/demo/train-logistic';
import {
  LogisticModel,
  type CategoricalFeatureWeights,
  type LogisticArtifact,
  type NumericFeatureWeights,
} from '../../../exporter/src/model/logistic-model';

/** Known truth: log-odds = 0.5 + 2·x − 1·w + colour effect, and +1 when z is missing. */
const TRUE_INTERCEPT = 0.5;
const TRUE_X = 2;
const TRUE_W = -1;
const TRUE_COLOUR: Record<string, number> = { red: 0.8, green: 0, blue: -0.8 };
const TRUE_MISSING_Z = 1;

function syntheticRows(count: number, seed: number): LabelledRow[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => {
    const x = random.normal(0, 1);
    // w has a mean and a scale of its own, to check that standardisation is undone correctly.
    const w = random.normal(10, 3);
    const colour = random.choice(['red', 'green', 'blue']);
    const zMissing = random.bernoulli(0.3);
    const logOdds =
      TRUE_INTERCEPT +
      TRUE_X * x +
      TRUE_W * (w - 10) +
      (TRUE_COLOUR[colour] as number) +
      (zMissing ? TRUE_MISSING_Z : 0);
    const label = random.bernoulli(1 / (1 + Math.exp(-logOdds))) ? 1 : 0;
    return { features: { x, w, colour, z: zMissing ? null : random.normal(0, 1) }, label };
  });
}

const OPTIONS: LogisticTrainingOptions = {
  model: 'toy',
  version: 'v1',
  classes: ['no', 'yes'],
  features: [
    { name: 'x', type: 'numeric' },
    { name: 'w', type: 'numeric' },
    { name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue'] },
    { name: 'z', type: 'numeric', nullable: true },
  ],
  lambda: 0,
  maxEpochs: 5_000,
  seed: 1,
};

function numeric(artifact: LogisticArtifact, name: string): NumericFeatureWeights {
  const feature = artifact.features.find((f) => f.name === name);
  if (feature?.type !== 'numeric') throw new Error(`no numeric feature ${name}`);
  return feature;
}

function categorical(artifact: LogisticArtifact, name: string): CategoricalFeatureWeights {
  const feature = artifact.features.find((f) => f.name === name);
  if (feature?.type !== 'categorical') throw new Error(`no categorical feature ${name}`);
  return feature;
}

/** Raw-unit slope of a standardised weight. */
const slope = (feature: NumericFeatureWeights): number => feature.weight / feature.std;

describe('trainLogistic', () => {
  const train = syntheticRows(30_000, 1);
  const holdout = syntheticRows(5_000, 2);
  const artifact = trainLogistic(train, holdout, OPTIONS);

  test('gradient descent recovers the known weights of a synthetic problem', () => {
    expect(Math.abs(slope(numeric(artifact, 'x')) - TRUE_X)).toBeLessThan(0.15);
    expect(Math.abs(slope(numeric(artifact, 'w')) - TRUE_W)).toBeLessThan(0.1);
    expect(Math.abs(slope(numeric(artifact, 'z')))).toBeLessThan(0.1);
    expect(Math.abs((numeric(artifact, 'z').missing_weight as number) - TRUE_MISSING_Z)).toBeLessThan(0.15);
    // One-hot plus an intercept only pins down differences between categories.
    const colour = categorical(artifact, 'colour').weights;
    expect(Math.abs((colour['red'] as number) - (colour['blue'] as number) - 1.6)).toBeLessThan(0.2);
    expect(Math.abs((colour['green'] as number) - (colour['blue'] as number) - 0.8)).toBeLessThan(0.2);
  });

  test('the fitted model reproduces the true log-odds of a fresh row', () => {
    const model = new LogisticModel(artifact);
    // 0.5 + 2·1 − 1·(13 − 10) + 0.8 = 0.3, with z present and at 0.
    expect(Math.abs(model.logOdds({ x: 1, w: 13, colour: 'red', z: 0 }) - 0.3)).toBeLessThan(0.25);
  });

  test('the descent converges before its epoch budget and records how it was trained', () => {
    expect(artifact.trained.epochs).toBeLessThan(OPTIONS.maxEpochs);
    expect(artifact.trained).toMatchObject({ rows: 30_000, holdout_rows: 5_000, seed: 1, lambda: 0 });
    expect(artifact.trained.holdout.auc).toBeGreaterThan(0.8);
    expect(artifact.trained.holdout.accuracy).toBeGreaterThan(0.7);
  });

  test('training twice on the same rows gives the same artifact', () => {
    expect(trainLogistic(train, holdout, OPTIONS)).toEqual(artifact);
  });

  test('a stronger L2 penalty shrinks the weights and costs holdout log-loss', () => {
    const shrunk = trainLogistic(train, holdout, { ...OPTIONS, lambda: 0.5 });
    expect(Math.abs(numeric(shrunk, 'x').weight)).toBeLessThan(Math.abs(numeric(artifact, 'x').weight) / 2);
    expect(shrunk.trained.holdout.log_loss).toBeGreaterThan(artifact.trained.holdout.log_loss);
  });

  test('features and categories follow the options, in their order', () => {
    expect(artifact.features.map((f) => f.name)).toEqual(['x', 'w', 'colour', 'z']);
    expect(Object.keys(categorical(artifact, 'colour').weights)).toEqual(['red', 'green', 'blue']);
    expect(numeric(artifact, 'x')).not.toHaveProperty('missing_weight');
  });

  test('categories default to those seen in training, sorted', () => {
    const features = [{ name: 'colour', type: 'categorical' as const }];
    const small = trainLogistic(train.slice(0, 500), [], { ...OPTIONS, features, maxEpochs: 50 });
    expect(Object.keys(categorical(small, 'colour').weights)).toEqual(['blue', 'green', 'red']);
  });

  test('labels other than 0 and 1 are rejected', () => {
    expect(() => trainLogistic([{ features: { x: 1 }, label: 2 }], [], OPTIONS)).toThrow(
      'training labels must be 0 or 1, got 2',
    );
  });
});

describe('roundSignificant', () => {
  test('keeps readable decimals', () => {
    expect(roundSignificant(0.1 + 0.2, 10)).toBe(0.3);
    expect(roundSignificant(123456.789, 4)).toBe(123500);
    expect(roundSignificant(-0.000123456789, 3)).toBe(-0.000123);
    expect(roundSignificant(Number.NaN, 3)).toBeNaN();
  });
});
