import { parseQuery, substituteVariables } from '../../../dashboards/src/lint/promql';

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
      { name: 'increase', range: '$__range' },
      { name: 'irate', range: '5m' },
    ]);
  });

  test('reports where a query stops parsing', () => {
    expect(parseQuery('sum by (model (rate(a[$__rate_interval]))').error).toMatch(/^cannot parse at character \d+/);
    expect(parseQuery('rate(a[$__rate_interval])').error).toBeUndefined();
  });
});
