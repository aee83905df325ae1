import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import { buildProfile, evenSample, pickReferencePredictor } from '../../../drift/src/profile/build-profile';
import { formatProfile } from '../../../drift/src/profile/profile-file';
import type { CategoricalFeatureProfile, NumericFeatureProfile } from '../../../drift/src/profile/reference-profile';
import { quantileEdges, sampleQuantiles } from '../../../drift/src/stats';
import type { ClassPrediction, ClassPredictor, Predictor } from '../../../spec/src/model-types';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { REPO_ROOT } from '../../support/demo-spec';

function write(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-profile-')), name);
  writeFileSync(file, text);
  return file;
}

function numeric(name: string): FeatureSpec {
  return { name, type: 'numeric', nullable: true, drift_test: 'auto' };
}

function modelWith(features: FeatureSpec[], overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    name: 'm',
    task: 'binary_classification',
    classes: ['no', 'yes'],
    versions: [{ name: 'v1', weight: 1 }],
    features,
    fault_injection: false,
    ...overrides,
  };
}

/** A seeded sample with ties (values on a 0.01 grid), in file order. */
function seededValues(n: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((state / 2147483648) ** 2 * 50_000) / 100;
  });
}

function csvOf(name: string, values: readonly number[]): string {
  return `${name}\n${values.join('\n')}\n`;
}

async function numericProfile(values: readonly number[], sampleLimit?: number): Promise<NumericFeatureProfile> {
  const file = write('ref.csv', csvOf('x', values));
  const { profile } = await buildProfile(
    file,
    modelWith([numeric('x')]),
    sampleLimit === undefined ? {} : { sampleLimit },
  );
  return profile.features[0] as NumericFeatureProfile;
}

describe('numeric feature profiles', () => {
  test('a small sample gets the hand-computed NumPy deciles, bin shares, mean and population std', async () => {
    const feature = await numericProfile([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
    // Sorted: 1 1 2 3 3 4 5 5 6 9; the q-quantile interpolates at h = 9q, e.g. q = 0.3 -> 2 + 0.7 * (3 - 2).
    // Exact values are np.quantile(x, np.arange(1, 10) / 10) and np.std(x) from NumPy 1.24.
    expect(feature.edges).toEqual([1, 1.8, 2.6999999999999997, 3, 3.5, 4.3999999999999995, 5, 5.2, 6.299999999999999]);
    expect(feature.proportions).toEqual([0, 0.2, 0.1, 0, 0.2, 0.1, 0, 0.2, 0.1, 0.1]);
    expect(feature).toMatchObject({
      name: 'x',
      type: 'numeric',
      count: 10,
      missing: 0,
      mean: 3.9,
      std: 2.3430749027719964,
      unique: 7,
    });
    expect(feature.sample).toEqual([1, 1, 2, 3, 3, 4, 5, 5, 6, 9]);
  });

  test('edges equal the deciles of the sorted data, and the selection-based deciles of the unsorted data', async () => {
    const values = seededValues(3001);
    const feature = await numericProfile(values);
    const sorted = Float64Array.from(values).sort();
    expect(feature.edges).toEqual(Array.from(quantileEdges(sorted)));
    expect(feature.edges).toEqual(Array.from(sampleQuantiles(values)));
  });

  test('bin shares are the share of all values per bin and sum to 1', async () => {
    const feature = await numericProfile(seededValues(2000));
    expect(feature.proportions).toHaveLength(10);
    expect(feature.proportions.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    const sorted = Float64Array.from(seededValues(2000)).sort();
    const below = (edge: number): number => sorted.filter((v) => v < edge).length;
    expect(feature.proportions[0]).toBe(below(feature.edges[0] as number) / 2000);
  });

  test('the sample is ascending and bounded by the limit, from the smallest slice to the largest', async () => {
    const values = seededValues(5000);
    const feature = await numericProfile(values, 100);
    const sorted = Float64Array.from(values).sort();
    expect(feature.sample).toHaveLength(100);
    expect(feature.sample).toEqual([...feature.sample].sort((a, b) => a - b));
    // The i-th value is the middle of the i-th of 100 slices of 50: ranks 25, 75, ..., 4975.
    expect(feature.sample[0]).toBe(sorted[25]);
    expect(feature.sample[99]).toBe(sorted[4975]);
  });

  test('the sample takes the middle order statistic of each equal slice', () => {
    expect(evenSample(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 5)).toEqual([1, 3, 5, 7, 9]);
    expect(evenSample(Float64Array.from([0, 1, 2, 3, 4, 5, 6]), 2)).toEqual([1, 5]);
    expect(evenSample(Float64Array.from([4, 5]), 5)).toEqual([4, 5]);
  });

  test('empty cells are counted as missing and left out of every statistic', async () => {
    const file = write('ref.csv', 'x\n1\n\n2\n""\n3\n');
    const { profile } = await buildProfile(file, modelWith([numeric('x')]));
    expect(profile.features[0]).toMatchObject({ count: 3, missing: 1, mean: 2, sample: [1, 2, 3] });
  });

  test('the distinct count stops at the unique limit', async () => {
    const file = write('ref.csv', csvOf('x', seededValues(500)));
    const { profile } = await buildProfile(file, modelWith([numeric('x')]), { uniqueLimit: 20 });
    expect((profile.features[0] as NumericFeatureProfile).unique).toBe(20);
    expect(profile.unique_limit).toBe(20);
  });

  test('a feature without any value is an error naming the file and column', async () => {
    const file = write('ref.csv', 'x,y\n1,\n2,\n');
    await expect(buildProfile(file, modelWith([numeric('x'), numeric('y')]))).rejects.toThrow(
      `${file}: column "y" has no values (2 missing)`,
    );
  });

  test('a file without data rows is an error', async () => {
    const file = write('ref.csv', 'x\n');
    await expect(buildProfile(file, modelWith([numeric('x')]))).rejects.toThrow(`${file} has no data rows`);
  });
});

describe('categorical feature profiles', () => {
  test('counts follow the spec categories in spec order, with unseen ones under __other__ and missing counted', async () => {
    const file = write('ref.jsonl', ['"b"', '"a"', '"b"', '"z"', 'null', '"y"'].map((v) => `{"c": ${v}}`).join('\n'));
    const feature: FeatureSpec = {
      name: 'c',
      type: 'categorical',
      nullable: true,
      categories: ['b', 'a', 'unseen'],
      drift_test: 'auto',
    };
    const { profile } = await buildProfile(file, modelWith([feature]));
    const profiled = profile.features[0] as CategoricalFeatureProfile;
    expect(profiled).toEqual({
      name: 'c',
      type: 'categorical',
      count: 5,
      missing: 1,
      categories: { b: 2, a: 1, unseen: 0, __other__: 2 },
    });
    expect(Object.keys(profiled.categories)).toEqual(['b', 'a', 'unseen', '__other__']);
  });
});

describe('the whole profile', () => {
  test('names the model, the source file by name and the limits', async () => {
    const file = write('ref.csv', 'x\n1\n2\n');
    const { profile, outputs } = await buildProfile(file, modelWith([numeric('x')]), { sampleLimit: 7 });
    expect(profile).toMatchObject({
      format: 'mlwatch.profile/1',
      model: 'm',
      source: { file: 'ref.csv', rows: 2 },
      sample_limit: 7,
      unique_limit: 1000,
    });
    expect(Object.keys(profile)).toEqual(['format', 'model', 'source', 'sample_limit', 'unique_limit', 'features']);
    expect(outputs).toBe('none');
  });

  test('the same input gives byte-identical JSON', async () => {
    const text = `x,c\n${seededValues(4000)
      .map((v, i) => `${v},${['a', 'b', 'q'][i % 3]}`)
      .join('\n')}\n`;
    const model = modelWith([
      numeric('x'),
      { name: 'c', type: 'categorical', nullable: false, categories: ['a', 'b'], drift_test: 'auto' },
    ]);
    const first = await buildProfile(write('ref.csv', text), model, { sampleLimit: 500 });
    const second = await buildProfile(write('ref.csv', text), model, { sampleLimit: 500 });
    expect(formatProfile(second.profile)).toBe(formatProfile(first.profile));
  });

  test('prediction and confidence columns in the file become the output profile', async () => {
    const file = write('ref.csv', 'x,prediction,confidence\n1,yes,0.9\n2,no,0.8\n3,maybe,\n');
    const { profile, outputs } = await buildProfile(file, modelWith([numeric('x')]), {
      predictor: constantPredictor(),
    });
    expect(outputs).toBe('file');
    expect(profile.outputs?.prediction).toEqual({
      name: 'prediction',
      type: 'categorical',
      count: 3,
      missing: 0,
      categories: { no: 1, yes: 1, __other__: 1 },
    });
    expect(profile.outputs?.confidence).toMatchObject({ name: 'confidence', count: 2, missing: 1, sample: [0.8, 0.9] });
  });

  test('a regression model reads its prediction column as numbers', async () => {
    const file = write('ref.csv', 'x,prediction\n1,10.5\n2,11.5\n');
    const model = modelWith([numeric('x')], { task: 'regression', classes: undefined });
    const { profile } = await buildProfile(file, model);
    expect(profile.outputs?.prediction).toMatchObject({ type: 'numeric', count: 2, mean: 11 });
    expect(profile.outputs?.confidence).toBeUndefined();
  });

  test('without prediction columns every row is scored by the given predictor', async () => {
    const file = write('ref.csv', 'x\n1\n2\n""\n3\n');
    const { profile, outputs } = await buildProfile(file, modelWith([numeric('x')]), {
      predictor: constantPredictor(),
    });
    expect(outputs).toBe('predictor');
    expect(profile.outputs).toEqual({
      prediction: {
        name: 'prediction',
        type: 'categorical',
        count: 4,
        missing: 0,
        categories: { no: 1, yes: 3, __other__: 0 },
      },
      confidence: expect.objectContaining({ name: 'confidence', count: 4, sample: [0.5, 0.75, 0.75, 0.75] }) as unknown,
    });
  });

  test('the demo model scores the demo reference into predicted-class counts and confidences', async () => {
    const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
    const model = loaded.spec.models[0] as ModelSpec;
    const predictor = pickReferencePredictor(model, loadPredictors(loaded)) as ClassPredictor;
    expect(predictor.version).toBe('v1');
    const file = loaded.resolve(model.reference as string);
    const { profile } = await buildProfile(file, model, { predictor });

    const rows = loadReferenceRows(file, model.features).rows;
    const expected: Record<string, number> = { legit: 0, fraud: 0, __other__: 0 };
    for (const row of rows) {
      const { label } = predictor.predict(row);
      expected[label] = (expected[label] ?? 0) + 1;
    }
    expect(profile.outputs?.prediction).toMatchObject({ count: rows.length, categories: expected });
    const confidence = profile.outputs?.confidence as NumericFeatureProfile;
    expect(confidence.count).toBe(rows.length);
    expect(confidence.sample[0]).toBeGreaterThanOrEqual(0.5);
    expect(confidence.sample[confidence.sample.length - 1]).toBeLessThanOrEqual(1);
  });
});

describe('pickReferencePredictor', () => {
  test('picks the version with the highest weight among those with a predictor, the first on a tie', () => {
    const model = modelWith([numeric('x')], {
      versions: [
        { name: 'a', weight: 0.3 },
        { name: 'b', weight: 0.3 },
        { name: 'c', weight: 0.4 },
      ],
    });
    const a = constantPredictor('a');
    const b = constantPredictor('b');
    expect(
      pickReferencePredictor(
        model,
        new Map([
          ['m/a', a],
          ['m/b', b],
        ]),
      ),
    ).toBe(a);
    expect(
      pickReferencePredictor(
        model,
        new Map([
          ['m/b', b],
          ['m/c', constantPredictor('c')],
        ]),
      )?.version,
    ).toBe('c');
    expect(pickReferencePredictor(model, new Map())).toBeUndefined();
  });
});

/** Says "yes" with confidence 0.75 when x is present, "no" with 0.5 when it is missing. */
function constantPredictor(version = 'v1'): Predictor {
  return {
    model: 'm',
    version,
    classes: ['no', 'yes'],
    predict(row): ClassPrediction {
      const yes = row['x'] !== null;
      return { label: yes ? 'yes' : 'no', confidence: yes ? 0.75 : 0.5, probabilities: {} };
    },
  };
}
