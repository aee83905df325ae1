import { Registry } from 'prom-client';
import { FixedGauge } from '../../../exporter/src/metrics/fixed-gauge';
import { registerMetric } from '../../../exporter/src/metrics/register-metric';

describe('FixedGauge', () => {
  test('series start at the initial value (NaN for "no verdict yet") and set replaces one of them', async () => {
    const registry = new Registry();
    const gauge = registerMetric(registry, new FixedGauge('t_score', 'Score.', [{ f: 'x' }, { f: 'y' }], Number.NaN));
    gauge.set(0, 0.5);
    expect(await registry.metrics()).toBe(
      '# HELP t_score Score.\n# TYPE t_score gauge\nt_score{f="x"} 0.5\nt_score{f="y"} Nan\n',
    );
  });

  test('without an initial value, series start at zero', () => {
    const gauge = new FixedGauge('t_share', 'Share.', [{ m: 'a' }]);
    expect(gauge.value(0)).toBe(0);
    gauge.set(0, 3);
    gauge.set(0, 1);
    expect(gauge.value(0)).toBe(1);
  });
});
