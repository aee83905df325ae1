import { PerSeriesHistogram } from '../../../exporter/src/metrics/per-series-histogram';

function histogram(): PerSeriesHistogram {
  return new PerSeriesHistogram('h', 'help', [
    { labels: { model: 'a' }, upperBounds: [1, 2] },
    { labels: { model: 'b' }, upperBounds: [10] },
  ]);
}

describe('PerSeriesHistogram', () => {
  test('each series counts into its own buckets, cumulatively, with its sum and count', async () => {
    const h = histogram();
    h.observe(0, 0.5);
    h.observe(0, 1.5);
    h.observe(0, 7);
    h.observe(1, 7);
    const { values } = await h.get();
    expect(values.map((v) => [v.metricName, v.labels, v.value])).toEqual([
      ['h_bucket', { model: 'a', le: 1 }, 1],
      ['h_bucket', { model: 'a', le: 2 }, 2],
      ['h_bucket', { model: 'a', le: '+Inf' }, 3],
      ['h_sum', { model: 'a' }, 9],
      ['h_count', { model: 'a' }, 3],
      ['h_bucket', { model: 'b', le: 10 }, 1],
      ['h_bucket', { model: 'b', le: '+Inf' }, 1],
      ['h_sum', { model: 'b' }, 7],
      ['h_count', { model: 'b' }, 1],
    ]);
  });

  test('counts carry into a histogram of the same shape, by labels', () => {
    const before = histogram();
    before.observe(1, 3);
    const after = histogram();
    expect(after.shape).toBe(before.shape);
    for (const series of before.carryOut()) expect(after.carryIn(series.labels, series.values)).toBe(true);
    expect(after.count(1)).toBe(1);
    expect(after.sum(1)).toBe(3);
    expect(after.carryIn({ model: 'a' }, [1, 2, 3])).toBe(false);
  });

  test('bounds that do not increase are refused, naming the metric', () => {
    expect(() => new PerSeriesHistogram('h', 'help', [{ labels: {}, upperBounds: [2, 1] }])).toThrow(
      'h: bucket bounds must increase strictly, got 2, 1',
    );
  });
});
