import { parseSpec } from '../../../spec/src/load-spec';
import { createExporterMetrics } from '../../../exporter/src/metrics/exporter-metrics';
import { defined } from '../../support/defined';

const TAIL = `
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`;

function metricsOf(models: string): ReturnType<typeof createExporterMetrics> {
  const spec = parseSpec(`service: { name: s }\nmodels:\n${models}${TAIL}`, 'x.yaml').spec;
  return createExporterMetrics(spec, { defaultMetrics: false });
}

const SHOP = `
  - name: shop
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 0.5 }, { name: v2, weight: 0.5 }]
    features: [{ name: x, type: numeric }]
    outcomes:
      events:
        click: {}
        purchase: { value: true, currency: EUR }
  - name: ads
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: a, weight: 1 }]
    features: [{ name: x, type: numeric }]
    outcomes:
      events:
        bid: { value: true, currency: USD }
  - name: plain
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
`;

describe('OutcomeMetrics', () => {
  test('a series per declared (version, event), value series only for value events, none for a model without outcomes', async () => {
    const { registry, outcomes, layout } = metricsOf(SHOP);
    const lines = (await registry.metrics()).split('\n');
    expect(lines.filter((line) => line.startsWith('mlwatch_outcomes_total{'))).toEqual([
      'mlwatch_outcomes_total{model="shop",version="v1",event="click"} 0',
      'mlwatch_outcomes_total{model="shop",version="v1",event="purchase"} 0',
      'mlwatch_outcomes_total{model="shop",version="v2",event="click"} 0',
      'mlwatch_outcomes_total{model="shop",version="v2",event="purchase"} 0',
      'mlwatch_outcomes_total{model="ads",version="a",event="bid"} 0',
    ]);
    expect(lines.filter((line) => line.startsWith('mlwatch_outcome_value_total{'))).toEqual([
      'mlwatch_outcome_value_total{model="shop",version="v1",event="purchase"} 0',
      'mlwatch_outcome_value_total{model="shop",version="v2",event="purchase"} 0',
      'mlwatch_outcome_value_total{model="ads",version="a",event="bid"} 0',
    ]);
    const plain = defined(layout.models.get('plain')?.versions.get('v1'), 'plain v1');
    expect(outcomes.versions[plain.index]).toBeUndefined();
  });

  test('record counts the outcome and adds its value to its own series', () => {
    const { outcomes, layout } = metricsOf(SHOP);
    const v2 = defined(layout.models.get('shop')?.versions.get('v2'), 'shop v2');
    const version = defined(outcomes.versions[v2.index], 'shop v2 outcomes');
    outcomes.record(defined(version.events.get('purchase'), 'purchase'), 12.5);
    outcomes.record(defined(version.events.get('purchase'), 'purchase'), 7.5);
    outcomes.record(defined(version.events.get('click'), 'click'), Number.NaN);
    expect(outcomes.outcomes.value(3)).toBe(2);
    expect(outcomes.outcomes.value(2)).toBe(1);
    expect(outcomes.values.value(1)).toBe(20);
    expect(outcomes.values.value(0)).toBe(0);
  });

  test('the value HELP names each event’s currency when they differ', async () => {
    const { registry } = metricsOf(SHOP);
    expect(await registry.metrics()).toContain(
      "# HELP mlwatch_outcome_value_total Sum of the values of the outcomes of events declared with one, in the event's declared currency (shop/purchase: EUR, ads/bid: USD).",
    );
  });
});
