import type { Registry } from 'prom-client';
import type { PromMetric } from './prom-metric';

/**
 * Adds one of our metrics to a private registry and returns it: the one way the exporter
 * registers a metric (prom-client's global registry and `registers:` options are never used).
 * Metrics render in the order they are registered.
 */
export function registerMetric<T extends PromMetric>(registry: Registry, metric: T): T {
  // prom-client's typings only admit its own metric classes; the registry itself only calls get().
  registry.registerMetric(metric as never);
  return metric;
}
