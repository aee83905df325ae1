import { Registry } from 'prom-client';
import { FixedHistogram } from '../../../exporter/src/metrics/fixed-histogram';
import { registerMetric } from '../../../exporter/src/metrics/register-metric';

describe('FixedHistogram', () => {
  test('buckets render cumulatively with +Inf, sum and count per label set', async () => {
    const registry = new Registry();
    const histogram = registerMetric(
      registry,
      new FixedHistogram('t_seconds', 'Time.', [0.1, 1], [{ m: 'a' }, { m: 'b' }]),
    );
    histogram.observe(0, 0.05);
    histogram.observe(0, 0.5);
    histogram.observe(0, 3);
    expect(await registry.metrics()).toBe(
      [
        '# HELP t_seconds Time.',
        '# TYPE t_seconds histogram',
        't_seconds_bucket{m="a",le="0.1"} 1',
        't_seconds_bucket{m="a",le="1"} 2',
        't_seconds_bucket{m="a",le="+Inf"} 3',
        't_seconds_sum{m="a"} 3.55',
        't_seconds_count{m="a"} 3',
        't_seconds_bucket{m="b",le="0.1"} 0',
        't_seconds_bucket{m="b",le="1"} 0',
        't_seconds_bucket{m="b",le="+Inf"} 0',
        't_seconds_sum{m="b"} 0',
        't_seconds_count{m="b"} 0',
        '',
      ].join('\n'),
    );
  });

  test('a value equal to a bound counts in that bucket (le means less than or equal)', async () => {
    const histogram = new FixedHistogram('t_seconds', 'Time.', [0.1, 1], [{}]);
    histogram.observe(0, 0.1);
    const { values } = await histogram.get();
    expect(values.slice(0, 2).map((v) => v.value)).toEqual([1, 1]);
    expect(histogram.count(0)).toBe(1);
  });

  test('bounds that do not increase strictly are refused, naming the metric', () => {
    expect(() => new FixedHistogram('t_seconds', 'Time.', [0.1, 0.1, 1], [{}])).toThrow(
      new RangeError('t_seconds: bucket bounds must increase strictly, got 0.1, 0.1, 1'),
    );
  });
});
