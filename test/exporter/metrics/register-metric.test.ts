import { Registry } from 'prom-client';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import { FixedGauge } from '../../../exporter/src/metrics/fixed-gauge';
import { registerMetric } from '../../../exporter/src/metrics/register-metric';

describe('registerMetric', () => {
  test('returns the metric it registered, and metrics render in the order they were registered', async () => {
    const registry = new Registry();
    const gauge = new FixedGauge('t_b', 'B.', [{}]);
    expect(registerMetric(registry, gauge)).toBe(gauge);
    registerMetric(registry, new FixedCounter('t_a_total', 'A.', [{}]));
    const text = await registry.metrics();
    expect(text.indexOf('# HELP t_b')).toBeLessThan(text.indexOf('# HELP t_a_total'));
    expect(registry.getSingleMetric('t_b')).toBe(gauge);
  });

  test('a second metric of the same name is refused, as prom-client refuses it', () => {
    const registry = new Registry();
    registerMetric(registry, new FixedGauge('t_b', 'B.', [{}]));
    expect(() => registerMetric(registry, new FixedGauge('t_b', 'B again.', [{}]))).toThrow(
      'A metric with the name t_b has already been registered.',
    );
  });
});
