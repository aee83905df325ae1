import { Registry } from 'prom-client';
import type { PromMetric, PromMetricSnapshot } from './prom-metric';
import { registerMetric } from './register-metric';

/** A rendered `/metrics` response. */
export interface Exposition {
  contentType: string;
  body: string;
}

/**
 * Renders a registry as Prometheus text or, when the scraper asks for it, OpenMetrics.
 *
 * prom-client renames a counter in place (strips `_total`) while rendering OpenMetrics,
 * which would break every later text-format scrape; so OpenMetrics renders from a second
 * registry of thin adapters that carry their own name and leave the real metrics untouched.
 */
export function createExposition(registry: Registry): (accept: string | undefined) => Promise<Exposition> {
  let openMetrics: Registry | undefined;
  return async (accept) => {
    if (!prefersOpenMetrics(accept)) {
      return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await registry.metrics() };
    }
    // Built on first use, after every metric (including prom-client's defaults) is registered.
    openMetrics ??= adaptForOpenMetrics(registry);
    return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: await openMetrics.metrics() };
  };
}

function adaptForOpenMetrics(registry: Registry): Registry {
  // The typings omit the constructor's content-type argument.
  const OpenMetricsRegistry = Registry as unknown as new (contentType: string) => Registry;
  const adapted = new OpenMetricsRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const metric of registry.getMetricsAsArray() as unknown as PromMetric[]) {
    const name = metric.type === 'counter' ? metric.name.replace(/_total$/, '') : metric.name;
    const adapter: PromMetric = {
      name,
      help: metric.help,
      type: metric.type,
      aggregator: 'sum',
      get: async (): Promise<PromMetricSnapshot> => ({ ...(await metric.get()), name }),
    };
    registerMetric(adapted, adapter);
  }
  return adapted;
}

/** True when the Accept header ranks OpenMetrics above the text format, as Prometheus's scraper does. */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let openMetricsQ = 0;
  let textQ = 0;
  for (const part of accept.split(',')) {
    const [mediaType = '', ...params] = part
      .trim()
      .split(';')
      .map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (mediaType === 'application/openmetrics-text') openMetricsQ = Math.max(openMetricsQ, q);
    else if (mediaType === 'text/plain') textQ = Math.max(textQ, q);
  }
  return openMetricsQ > 0 && openMetricsQ >= textQ;
}
