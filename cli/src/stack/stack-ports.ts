/** Loopback ports of the native stack's parts. */
export interface StackPorts {
  readonly prometheus: number;
  readonly alertmanager: number;
  readonly slackSink: number;
  readonly nodeExporter: number;
  /** The shared label join store, started when several replicas take labels (base+15). */
  readonly redis?: number;
  /** One per exporter replica. */
  readonly exporters: readonly number[];
}

/** Default first port: far from the usual 9090/9093/9100/9420, so a stack can run beside a real one. */
export const DEFAULT_BASE_PORT = 19090;

/**
 * Ports counted from `base`, echoing the usual ones: Prometheus base+1 (…91), Alertmanager
 * base+3 (…93), the slack-sink base+5, node-exporter base+10 (…100), Redis base+15, exporter replicas from base+20.
 */
export function portsFromBase(base: number, replicas: number): StackPorts {
  const highest = base + 20 + replicas - 1;
  if (!Number.isInteger(base) || base < 1024 || highest > 65535) {
    throw new RangeError(`base port: expected a whole number from 1024 to ${65535 - 20 - replicas + 1}, got ${base}`);
  }
  return {
    prometheus: base + 1,
    alertmanager: base + 3,
    slackSink: base + 5,
    nodeExporter: base + 10,
    redis: base + 15,
    exporters: Array.from({ length: replicas }, (_, i) => base + 20 + i),
  };
}
