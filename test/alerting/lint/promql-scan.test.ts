import { rangeCalls } from '../../../alerting/src/lint/promql-scan';

const RATES = new Set(['rate', 'irate', 'increase']);

describe('rangeCalls', () => {
  test('finds each rate-like call with its metric and range, through aggregations, matchers and offsets', () => {
    expect(
      rangeCalls(
        'sum by (model) (rate(a_total{status="error",path=~"[x]{2}"}[5m]))\n/\nsum(increase(b_total[1h] offset 5m)) > 0',
        RATES,
      ),
    ).toEqual([
      { fn: 'rate', metric: 'a_total', range: '5m' },
      { fn: 'increase', metric: 'b_total', range: '1h' },
    ]);
  });

  test('a subquery has a range but no metric; other functions, strings and comments are ignored', () => {
    expect(
      rangeCalls(
        'rate(sum(x_total)[10m:1m]) # rate(y[1s])\n+ max_over_time(z[1s]) + label_replace(v, "a", "rate(w[1s])", "", "")',
        RATES,
      ),
    ).toEqual([{ fn: 'rate', metric: undefined, range: '10m' }]);
  });

  test('an unclosed bracket is a syntax error naming the expression', () => {
    expect(() => rangeCalls('rate(x[5m)', RATES)).toThrow(/unclosed "\[" at 6/);
  });
});
