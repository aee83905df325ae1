import { parseQuery, substituteVariables } from '../../../alerting/src/lint/promql';

describe('substituteVariables', () => {
  test('keeps variables inside strings, turns interval variables into durations and others into names', () => {
    expect(substituteVariables('sum by (le) (rate(a{job=~"$job", x=\'${y}\'}[$__rate_interval])) / $scalar')).toBe(
      'sum by (le) (rate(a{job=~"$job", x=\'${y}\'}[11277964s])) / grafana_variable_scalar',
    );
    expect(substituteVariables('increase(a[${__range}]) + b[[var]]')).toBe(
      'increase(a[11277966s]) + bgrafana_variable_var',
    );
  });
});

describe('parseQuery', () => {
  test('finds every selector with its matchers, and the range of every rate, irate and increase as written', () => {
    const parsed = parseQuery(
      'histogram_quantile(0.5, sum by (le) (increase(a_bucket{job=~"$job", le="0.5"}[$__range]))) / irate(b[5m]) + c',
    );
    expect(parsed.error).toBeUndefined();
    expect(parsed.selectors).toEqual([
      {
        text: 'a_bucket{job=~"$job", le="0.5"}',
        matchers: [
          { label: 'job', op: '=~', value: '$job' },
          { label: 'le', op: '=', value: '0.5' },
        ],
      },
      { text: 'b', matchers: [] },
      { text: 'c', matchers: [] },
    ]);
    expect(parsed.rangeFunctions).toEqual([
      { name: 'increase', range: '$__range', metric: 'a_bucket' },
      { name: 'irate', range: '5m', metric: 'b' },
    ]);
  });

  test('reads a range through offset and @, and a subquery has a range but no metric', () => {
    expect(
      parseQuery('sum(increase(b_total{s="x"}[1h] offset 5m)) / rate(c_total[2m] @ 100) + rate(sum(x_total)[10m:1m])')
        .rangeFunctions,
    ).toEqual([
      { name: 'increase', range: '1h', metric: 'b_total' },
      { name: 'rate', range: '2m', metric: 'c_total' },
      { name: 'rate', range: '10m', metric: undefined },
    ]);
  });

  test('other functions, strings and comments are not range functions', () => {
    expect(
      parseQuery('max_over_time(z[1s]) # rate(y[1s])\n+ label_replace(v, "a", "rate(w[1s])", "", "")').rangeFunctions,
    ).toEqual([]);
  });

  test('reports where a query stops parsing', () => {
    expect(parseQuery('sum by (model (rate(a[$__rate_interval]))').error).toMatch(/^cannot parse at character \d+/);
    expect(parseQuery('rate(a[$__rate_interval])').error).toBeUndefined();
  });
});
