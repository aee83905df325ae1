import { defined } from '../../support/defined';
import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { SeriesLayout } from '../../../exporter/src/metrics/series-layout';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: first
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: a, weight: 0.5 }, { name: b, weight: 0.5 }]
    features:
      - { name: x, type: numeric, nullable: true }
      - { name: colour, type: categorical, categories: [red] }
  - name: second
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features:
      - { name: y, type: numeric }
      - { name: shape, type: categorical, nullable: true, categories: [round] }
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

describe('SeriesLayout', () => {
  const layout = new SeriesLayout(SPEC);

  test('model versions are enumerated once, in spec order, and each slot knows its index', () => {
    expect(layout.modelVersionLabels).toEqual([
      { model: 'first', version: 'a' },
      { model: 'first', version: 'b' },
      { model: 'second', version: 'v1' },
    ]);
    expect(defined(defined(layout.models.get('second'), 'second').versions.get('v1'), 'v1').index).toBe(2);
  });

  test('the status series of a version is its success then its error line', () => {
    const b = defined(defined(layout.models.get('first'), 'first').versions.get('b'), 'b');
    expect(layout.modelVersionStatusLabels[layout.statusSeries(b, 'success')]).toEqual({
      model: 'first',
      version: 'b',
      status: 'success',
    });
    expect(layout.modelVersionStatusLabels[layout.statusSeries(b, 'error')]).toEqual({
      model: 'first',
      version: 'b',
      status: 'error',
    });
  });

  test('class series start at each version class base; a regression model has none', () => {
    const b = defined(defined(layout.models.get('first'), 'first').versions.get('b'), 'b');
    expect(layout.modelVersionClassLabels[b.classBase + 1]).toEqual({ model: 'first', version: 'b', class: 'yes' });
    expect(layout.modelVersionClassLabels).toHaveLength(4);
    expect(defined(layout.models.get('second'), 'second').classIndex.size).toBe(0);
  });

  test('only nullable features get a missing series, and only categorical ones an other-category series', () => {
    expect(layout.nullableFeatureLabels).toEqual([
      { model: 'first', feature: 'x' },
      { model: 'second', feature: 'shape' },
    ]);
    expect(layout.categoricalFeatureLabels).toEqual([
      { model: 'first', feature: 'colour' },
      { model: 'second', feature: 'shape' },
    ]);
    expect(defined(layout.models.get('second'), 'second').missingSeries.get('shape')).toBe(1);
    expect(defined(layout.models.get('second'), 'second').otherCategorySeries.get('shape')).toBe(1);
    expect(defined(layout.models.get('first'), 'first').missingSeries.has('colour')).toBe(false);
  });
});
