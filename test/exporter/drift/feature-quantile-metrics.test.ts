import { Registry } from 'prom-client';
import { FeatureQuantileMetrics, type QuantileLayout } from '../../../exporter/src/drift/feature-quantile-metrics';

/** Model fraud with two numeric features, and a per-version target of model credit with one. */
const LAYOUT: QuantileLayout = {
  targets: [
    {
      model: 'fraud',
      features: [
        // 1 … 101: median 51, p95 at rank 95 of 0…100, i.e. 96.
        { name: 'amount', referenceSample: Array.from({ length: 101 }, (_, i) => i + 1) },
        { name: 'hour', referenceSample: [0, 10] },
      ],
    },
    { model: 'credit', version: 'v2', features: [{ name: 'income', referenceSample: [5] }] },
  ],
};

function metricsOf(): { metrics: FeatureQuantileMetrics; exposition: () => Promise<string> } {
  const registry = new Registry();
  return { metrics: new FeatureQuantileMetrics(LAYOUT, registry), exposition: () => registry.metrics() };
}

describe('FeatureQuantileMetrics', () => {
  test('the reference median and p95 are exposed from the start (simple-statistics quantiles), the window ones NaN until a verdict', async () => {
    const { exposition } = metricsOf();
    expect(await exposition())
      .toBe(`# HELP mlwatch_feature_window_quantile Quantile of each numeric feature in the live drift window at the latest evaluation; NaN without a verdict.
# TYPE mlwatch_feature_window_quantile gauge
mlwatch_feature_window_quantile{model="fraud",feature="amount",quantile="0.5"} Nan
mlwatch_feature_window_quantile{model="fraud",feature="amount",quantile="0.95"} Nan
mlwatch_feature_window_quantile{model="fraud",feature="hour",quantile="0.5"} Nan
mlwatch_feature_window_quantile{model="fraud",feature="hour",quantile="0.95"} Nan
mlwatch_feature_window_quantile{model="credit",version="v2",feature="income",quantile="0.5"} Nan
mlwatch_feature_window_quantile{model="credit",version="v2",feature="income",quantile="0.95"} Nan

# HELP mlwatch_feature_reference_quantile Quantile of each numeric feature in the reference profile's sample.
# TYPE mlwatch_feature_reference_quantile gauge
mlwatch_feature_reference_quantile{model="fraud",feature="amount",quantile="0.5"} 51
mlwatch_feature_reference_quantile{model="fraud",feature="amount",quantile="0.95"} 96
mlwatch_feature_reference_quantile{model="fraud",feature="hour",quantile="0.5"} 5
mlwatch_feature_reference_quantile{model="fraud",feature="hour",quantile="0.95"} 9.5
mlwatch_feature_reference_quantile{model="credit",version="v2",feature="income",quantile="0.5"} 5
mlwatch_feature_reference_quantile{model="credit",version="v2",feature="income",quantile="0.95"} 5
`);
  });

  test('a window column sets its feature’s median and p95, missing values (NaN) left out; other series untouched', async () => {
    const { metrics, exposition } = metricsOf();
    // 21 values 0 … 200 in steps of 10, shuffled, with two missing: median 100, p95 190.
    const values = Array.from({ length: 21 }, (_, i) => ((i * 8) % 21) * 10);
    metrics.publishWindow(0, 'amount', Float64Array.from([Number.NaN, ...values, Number.NaN]));
    const text = await exposition();
    expect(text).toContain('mlwatch_feature_window_quantile{model="fraud",feature="amount",quantile="0.5"} 100\n');
    expect(text).toContain('mlwatch_feature_window_quantile{model="fraud",feature="amount",quantile="0.95"} 190\n');
    expect(text).toContain('mlwatch_feature_window_quantile{model="fraud",feature="hour",quantile="0.5"} Nan\n');
  });

  test('no verdict (no column), an all-missing column or an unknown feature leave or make the window quantiles NaN', async () => {
    const { metrics, exposition } = metricsOf();
    metrics.publishWindow(1, 'income', Float64Array.from([1, 2, 3]));
    expect(await exposition()).toContain(
      'mlwatch_feature_window_quantile{model="credit",version="v2",feature="income",quantile="0.5"} 2\n',
    );
    metrics.publishWindow(1, 'income', undefined);
    expect(await exposition()).toContain(
      'mlwatch_feature_window_quantile{model="credit",version="v2",feature="income",quantile="0.5"} Nan\n',
    );
    metrics.publishWindow(1, 'income', Float64Array.from([Number.NaN]));
    metrics.publishWindow(0, 'country', Float64Array.from([1]));
    metrics.publishWindow(7, 'amount', Float64Array.from([1]));
    expect(
      (await exposition()).match(/^mlwatch_feature_window_quantile\{.*\} (\S+)$/gm)?.map((l) => l.split(' ')[1]),
    ).toEqual(new Array(6).fill('Nan'));
  });
});
