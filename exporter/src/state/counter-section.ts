import type { Registry } from 'prom-client';
import type { CarriedMetric } from '../metrics/carried-metric';
import { FixedCounter } from '../metrics/fixed-counter';
import { FixedHistogram } from '../metrics/fixed-histogram';
import { PerSeriesHistogram } from '../metrics/per-series-histogram';
import {
  SnapshotFormatError,
  arrayAt,
  objectAt,
  stringAt,
  type RestoreProblem,
  type StateSection,
} from './state-section';

/** Name of the counter section in a (reload) capture. */
export const COUNTER_SECTION = 'counters';

/**
 * The counters and histograms of one generation, carried into the next on a reload (never to
 * disk, see StateSection.durable): series without a `model` label always, a model's series
 * when its fingerprint did not change. A changed model starts again from zero, which
 * Prometheus's rate() reads as a counter reset.
 */
export function counterSection(registry: Registry, fingerprints: ReadonlyMap<string, string>): StateSection {
  const carried = (): Map<string, CarriedMetric> => {
    const metrics = new Map<string, CarriedMetric>();
    for (const metric of registry.getMetricsAsArray() as unknown[])
      if (metric instanceof FixedCounter || metric instanceof FixedHistogram || metric instanceof PerSeriesHistogram)
        metrics.set(metric.name, metric);
    return metrics;
  };
  return {
    name: COUNTER_SECTION,
    durable: false,
    capture: () => ({
      models: Object.fromEntries(fingerprints),
      metrics: [...carried().values()].map((metric) => ({
        name: metric.name,
        shape: metric.shape,
        series: metric.carryOut(),
      })),
    }),
    restore: (data) => {
      const top = objectAt(data, 'counters');
      const before = objectAt(top['models'], 'counters.models');
      const unchanged = (model: string): boolean =>
        before[model] !== undefined && before[model] === fingerprints.get(model);
      const metrics = carried();
      for (const [i, entry] of arrayAt(top['metrics'], 'counters.metrics').entries()) {
        const where = `counters.metrics[${i}]`;
        const row = objectAt(entry, where);
        const metric = metrics.get(stringAt(row['name'], `${where}.name`));
        if (metric === undefined || metric.shape !== stringAt(row['shape'], `${where}.shape`)) continue;
        for (const [j, item] of arrayAt(row['series'], `${where}.series`).entries()) {
          const series = objectAt(item, `${where}.series[${j}]`);
          const labels = objectAt(series['labels'], `${where}.series[${j}].labels`) as Record<string, string>;
          const model = labels['model'];
          if (model !== undefined && !unchanged(model)) continue;
          const values = arrayAt(series['values'], `${where}.series[${j}].values`).map((v, k) => {
            // Any number, +Inf included: a counter's sum may have overflowed, and it carries as it is.
            if (typeof v !== 'number')
              throw new SnapshotFormatError(`${where}.series[${j}].values[${k}]: not a number`);
            return v;
          });
          metric.carryIn(labels, values);
        }
      }
      // Models that changed are reported by the drift section, which knows them too.
      return [] as RestoreProblem[];
    },
  };
}
