import { Registry } from 'prom-client';
import { createExposition, prefersOpenMetrics } from '../../../exporter/src/metrics/exposition';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import { FixedGauge } from '../../../exporter/src/metrics/fixed-gauge';
import { registerMetric } from '../../../exporter/src/metrics/register-metric';

function registry(): Registry {
  const r = new Registry();
  registerMetric(r, new FixedCounter('t_events_total', 'Events.', [{ kind: 'a' }])).inc(0, 2);
  registerMetric(r, new FixedGauge('t_share', 'Share.', [{}], 0.25));
  return r;
}

const TEXT =
  '# HELP t_events_total Events.\n# TYPE t_events_total counter\nt_events_total{kind="a"} 2\n\n' +
  '# HELP t_share Share.\n# TYPE t_share gauge\nt_share 0.25\n';

describe('createExposition', () => {
  test('without an Accept header it renders the Prometheus text format', async () => {
    const exposition = await createExposition(registry())(undefined);
    expect(exposition).toEqual({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: TEXT });
  });

  test('OpenMetrics names a counter family without _total, keeps _total on its samples and ends with # EOF', async () => {
    const exposition = await createExposition(registry())('application/openmetrics-text; version=1.0.0');
    expect(exposition).toEqual({
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      body:
        '# HELP t_events Events.\n# TYPE t_events counter\nt_events_total{kind="a"} 2\n' +
        '# HELP t_share Share.\n# TYPE t_share gauge\nt_share 0.25\n# EOF\n',
    });
  });

  test('a text scrape after an OpenMetrics scrape still sees the counter as t_events_total (prom-client renames in place)', async () => {
    const render = createExposition(registry());
    await render('application/openmetrics-text; version=1.0.0');
    expect((await render('text/plain')).body).toBe(TEXT);
  });
});

describe('prefersOpenMetrics', () => {
  test.each([
    [undefined, false],
    ['text/plain', false],
    ['application/openmetrics-text', true],
    // What Prometheus sends: OpenMetrics first, text as a fallback.
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      true,
    ],
    ['text/plain;q=1, application/openmetrics-text;q=0.5', false],
    ['application/openmetrics-text;q=0', false],
    ['application/openmetrics-text;q=abc', false],
  ])('Accept %j prefers OpenMetrics: %s', (accept, expected) => {
    expect(prefersOpenMetrics(accept)).toBe(expected);
  });
});
