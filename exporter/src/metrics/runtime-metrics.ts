import { METRICS } from '../../../spec/src/conventions';
import { FixedGauge } from './fixed-gauge';
import type { PromMetric } from './prom-metric';

/**
 * What is running and whether its configuration is the one on disk: the build, and the outcome
 * of the last reload. Lives as long as the process, registered in every generation's registry.
 */
export class RuntimeMetrics {
  private readonly reloadSuccessful = new FixedGauge(
    METRICS.configLastReloadSuccessful,
    '1 when the last reload of the spec (SIGHUP) succeeded, or there was none; 0 when it failed and the previous spec still runs.',
    [{}],
    1,
  );
  private readonly reloadSuccessTime: FixedGauge;
  private readonly buildInfo: FixedGauge;

  /** `startedMs` is the start-up time (epoch milliseconds): the spec in use was loaded then. */
  constructor(version: string, startedMs: number) {
    this.reloadSuccessTime = new FixedGauge(
      METRICS.configLastReloadSuccessTimestampSeconds,
      'Unix time the running spec was loaded: at start-up, then at each successful reload.',
      [{}],
      startedMs / 1000,
    );
    this.buildInfo = new FixedGauge(
      METRICS.buildInfo,
      'The running mlwatch: its version and Node.js version, with value 1.',
      [{ version, node_version: process.version }],
      1,
    );
  }

  /** Records a reload's outcome at `nowMs` (epoch milliseconds). */
  reloaded(success: boolean, nowMs: number): void {
    this.reloadSuccessful.set(0, success ? 1 : 0);
    if (success) this.reloadSuccessTime.set(0, nowMs / 1000);
  }

  /** Whether the last reload succeeded; for tests and reports. */
  lastReloadSuccessful(): boolean {
    return this.reloadSuccessful.value(0) === 1;
  }

  /** The metrics to register, in exposition order. */
  metrics(): PromMetric[] {
    return [this.reloadSuccessful, this.reloadSuccessTime, this.buildInfo];
  }
}
