import { Registry } from 'prom-client';
import type { Spec } from '../../../../spec/src/schema';
import { parseSpec } from '../../../../spec/src/load-spec';
import { FLEET_BIN_COUNT, binLabel } from '../../../../spec/src/conventions';
import {
  DEFAULT_SAMPLE_LIMIT,
  DEFAULT_UNIQUE_LIMIT,
  summarizeNumeric,
} from '../../../../drift/src/profile/build-profile';
import { FleetBins } from '../../../../exporter/src/drift/fleet/fleet-bins';
import { registerMetric } from '../../../../exporter/src/metrics/register-metric';
import { PROFILE_FORMAT, type ReferenceProfile } from '../../../../drift/src/profile/reference-profile';
import { defined } from '../../../support/defined';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: m
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features:
      - { name: x, type: numeric }
      - { name: colour, type: categorical, categories: [red, blue] }
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

const PROFILE: ReferenceProfile = {
  format: PROFILE_FORMAT,
  model: 'm',
  source: { file: 'ref.csv', rows: 10 },
  sample_limit: 100,
  unique_limit: 100,
  features: [
    {
      name: 'x',
      type: 'numeric',
      count: 10,
      missing: 0,
      sample: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      edges: [3, 6],
      proportions: [0.2, 0.3, 0.5],
      mean: 5.5,
      std: 2.87,
      unique: 10,
    },
    { name: 'colour', type: 'categorical', count: 10, missing: 0, categories: { red: 6, blue: 3, __other__: 1 } },
  ],
};

async function text(bins: FleetBins): Promise<string> {
  const registry = new Registry();
  for (const metric of [bins.bins, bins.categories, bins.referenceRatio]) registerMetric(registry, metric);
  return registry.metrics();
}

describe('FleetBins', () => {
  test('bins are zero-padded indexes, all initialised at zero, next to the reference ratios', async () => {
    const exposition = await text(new FleetBins(SPEC, new Map([['m', PROFILE]])));
    expect(exposition).toContain(
      'mlwatch_feature_bin_total{model="m",feature="x",bin="00"} 0\nmlwatch_feature_bin_total{model="m",feature="x",bin="01"} 0\nmlwatch_feature_bin_total{model="m",feature="x",bin="02"} 0\n',
    );
    expect(exposition).toContain('mlwatch_feature_category_total{model="m",feature="colour",category="__other__"} 0');
    expect(exposition).toContain('mlwatch_feature_reference_ratio{model="m",feature="x",bin="02"} 0.5');
    expect(exposition).toContain('mlwatch_feature_reference_ratio{model="m",feature="colour",category="red"} 0.6');
    expect(exposition).toContain(
      'mlwatch_feature_reference_ratio{model="m",feature="colour",category="__other__"} 0.1',
    );
  });

  test('a value on an edge goes to the bin above; missing values are not counted', () => {
    const bins = new FleetBins(SPEC, new Map([['m', PROFILE]]));
    const model = defined(bins.models.get('m'), 'model m');
    for (const x of [2.9, 3, 5, 6, 100, Number.NaN])
      bins.record(model, { x: Number.isNaN(x) ? null : x, colour: 'red' });
    expect([0, 1, 2].map((i) => bins.bins.value(i))).toEqual([1, 2, 2]);
  });

  test('unseen categories count under __other__', () => {
    const bins = new FleetBins(SPEC, new Map([['m', PROFILE]]));
    const model = defined(bins.models.get('m'), 'model m');
    for (const colour of ['red', 'blue', 'green', 'pink']) bins.record(model, { x: 1, colour });
    expect([0, 1, 2].map((i) => bins.categories.value(i))).toEqual([1, 1, 2]);
  });

  test('without a reference profile, numeric features have no bins but categories are still counted', async () => {
    const exposition = await text(new FleetBins(SPEC, new Map()));
    expect(exposition).not.toContain('mlwatch_feature_bin_total{');
    expect(exposition).toContain('mlwatch_feature_category_total{model="m",feature="colour",category="red"} 0');
    expect(exposition).not.toContain('mlwatch_feature_reference_ratio{');
  });

  test('a profile built from a continuous sample is counted into FLEET_BIN_COUNT bins, one tenth of the reference each', async () => {
    const limits = { sampleLimit: DEFAULT_SAMPLE_LIMIT, uniqueLimit: DEFAULT_UNIQUE_LIMIT };
    // 1,000 distinct values: every decile bin holds exactly a tenth of them.
    const x = summarizeNumeric(
      'x',
      Float64Array.from({ length: 1000 }, (_, i) => i),
      0,
      limits,
    );
    const exposition = await text(new FleetBins(SPEC, new Map([['m', { ...PROFILE, features: [x] }]])));
    const ratios = [
      ...exposition.matchAll(/^mlwatch_feature_reference_ratio\{model="m",feature="x",bin="(\d+)"\} (.+)$/gm),
    ];
    expect(ratios.map((m) => [m[1], Number(m[2])])).toEqual(
      Array.from({ length: FLEET_BIN_COUNT }, (_, i) => [binLabel(i), 1 / FLEET_BIN_COUNT]),
    );
  });

  test('bin labels sort as strings', () => {
    expect([binLabel(0), binLabel(9), binLabel(10)]).toEqual(['00', '09', '10']);
  });
});
