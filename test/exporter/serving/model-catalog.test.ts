import { defined } from '../../support/defined';
import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { predictorKey, type Predictor } from '../../../spec/src/model-types';
import { SeriesLayout } from '../../../exporter/src/metrics/series-layout';
import { ModelCatalog, pickVersion, type CatalogModel } from '../../../exporter/src/serving/model-catalog';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: first
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: a, weight: 0.5 }, { name: b, weight: 0.25 }, { name: c, weight: 0.25 }]
    features: [{ name: x, type: numeric }]
  - name: second
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

function predictor(model: string, version: string): Predictor {
  return {
    model,
    version,
    classes: ['no', 'yes'],
    predict: () => ({ label: 'no', confidence: 1, probabilities: { no: 1, yes: 0 } }),
  };
}

function catalogWith(loaded: ReadonlyArray<[string, string]>): ModelCatalog {
  const predictors = new Map(loaded.map(([m, v]) => [predictorKey(m, v), predictor(m, v)]));
  return new ModelCatalog(SPEC, new SeriesLayout(SPEC), predictors);
}

function first(catalog: ModelCatalog): CatalogModel {
  return defined(catalog.models.get('first'), 'first');
}

describe('ModelCatalog', () => {
  test('every model of the spec is in the catalog with its slot and validator; the first is the default', () => {
    const catalog = catalogWith([]);
    expect([...catalog.models.keys()]).toEqual(['first', 'second']);
    expect(catalog.defaultModel).toBe('first');
    expect(first(catalog).slot.name).toBe('first');
    expect(first(catalog).validator.check({ x: 'no' })?.reason).toBe('invalid_feature_type');
  });

  test('servable versions keep spec order and split [0, 1) by their weights', () => {
    const catalog = catalogWith([
      ['first', 'a'],
      ['first', 'b'],
      ['first', 'c'],
    ]);
    const servable = first(catalog).servable;
    expect(servable.map((v) => v.slot.version)).toEqual(['a', 'b', 'c']);
    expect(servable.map((v) => v.cumulativeWeight)).toEqual([0.5, 0.75, 1]);
    expect(defined(servable[1], 'servable[1]').predictor.version).toBe('b');
  });

  test('weights of versions without an artifact are shared out among those with one', () => {
    const catalog = catalogWith([
      ['first', 'a'],
      ['first', 'c'],
    ]);
    // a and c keep their 2:1 ratio over the whole range.
    expect(first(catalog).servable.map((v) => v.cumulativeWeight)).toEqual([expect.closeTo(2 / 3, 12), 1]);
  });

  test('a model without artifacts has no servable version', () => {
    const catalog = catalogWith([['first', 'a']]);
    expect(defined(catalog.models.get('second'), 'second').servable).toEqual([]);
    expect(pickVersion(defined(catalog.models.get('second'), 'second'), 0.5)).toBeUndefined();
  });
});

describe('pickVersion', () => {
  const model = first(
    catalogWith([
      ['first', 'a'],
      ['first', 'b'],
      ['first', 'c'],
    ]),
  );

  test.each([
    [0, 'a'],
    [0.499, 'a'],
    [0.5, 'b'],
    [0.7, 'b'],
    [0.75, 'c'],
    [0.999999, 'c'],
  ])('a uniform draw of %d picks version %s', (uniform, version) => {
    expect(pickVersion(model, uniform)?.slot.version).toBe(version);
  });
});
