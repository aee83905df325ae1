import { Registry } from 'prom-client';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import { registerMetric } from '../../../exporter/src/metrics/register-metric';

describe('FixedCounter', () => {
  test('every label set renders from the start at zero, in the order given', async () => {
    const registry = new Registry();
    registerMetric(registry, new FixedCounter('t_events_total', 'Events.', [{ kind: 'a' }, { kind: 'b' }]));
    expect(await registry.metrics()).toBe(
      '# HELP t_events_total Events.\n# TYPE t_events_total counter\nt_events_total{kind="a"} 0\nt_events_total{kind="b"} 0\n',
    );
  });

  test('inc adds one, or the amount given, to the series at an index and to no other', () => {
    const counter = new FixedCounter('t_events_total', 'Events.', [{ kind: 'a' }, { kind: 'b' }]);
    counter.inc(1);
    counter.inc(1, 2.5);
    expect([counter.value(0), counter.value(1)]).toEqual([0, 3.5]);
  });

  test('a counter without labels is one series with empty labels', async () => {
    const registry = new Registry();
    registerMetric(registry, new FixedCounter('t_errors_total', 'Errors.', [{}])).inc(0);
    expect(await registry.metrics()).toBe(
      '# HELP t_errors_total Errors.\n# TYPE t_errors_total counter\nt_errors_total 1\n',
    );
  });
});
