import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Spec } from '../../../spec/src/schema';
import type { DriftRecorder, DriftTarget } from './drift-recorder';
import { DriftMetrics, type DriftLayout, type TargetSeries } from './drift-metrics';
import { FeatureQuantileMetrics, type QuantileLayout } from './feature-quantile-metrics';
import { isPValueTest } from '../../../spec/src/drift-tests';
import { prepareDriftPlan, type DriftPlan } from '../../../drift/src/engine/drift-plan';
import type { DriftReport, FeatureDrift } from '../../../drift/src/engine/drift-report';
import { evaluateDriftAsync } from './evaluate-drift-async';
import { EvaluationScratch } from '../../../drift/src/engine/evaluation-scratch';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { SnapshotBuffers } from './window/snapshot-buffers';
import type { WindowSnapshot } from '../../../drift/src/window-snapshot';

/** A drift target with the plan it is evaluated by; targets without a reference profile have none. */
interface PlannedTarget {
  readonly target: DriftTarget;
  readonly plan: DriftPlan;
  readonly series: TargetSeries;
  /** Index of the target in the quantile gauges' layout. */
  readonly index: number;
  latest: DriftReport | undefined;
}

/**
 * The exact drift tier off the request path: every `evaluation_interval_seconds` each
 * window is snapshotted and evaluated in short slices (the event loop keeps serving
 * between them), and the verdicts are published as gauges and kept for the report API.
 */
export class DriftMonitor {
  readonly metrics: DriftMetrics;
  readonly quantiles: FeatureQuantileMetrics;
  private readonly planned: readonly PlannedTarget[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  // Targets are evaluated one after another, so one set of snapshot columns and work arrays serves them all.
  private readonly snapshotBuffers = new SnapshotBuffers();
  private readonly scratch = new EvaluationScratch();

  /**
   * Builds every target's plan; throws naming the model and feature when a profile does not fit
   * the spec. The plans keep what they need of the profiles (typed copies), not the profiles.
   */
  constructor(
    private readonly spec: Spec,
    recorder: DriftRecorder,
    profiles: ReadonlyMap<string, ReferenceProfile>,
    registry: Registry,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const plans = recorder.targets.flatMap((target) => {
      const model = spec.models.find((m) => m.name === target.model);
      const profile = profiles.get(target.model);
      if (profile === undefined || model === undefined) return [];
      const plan = prepareDriftPlan(
        profile,
        spec.drift,
        model.features,
        model.classes === undefined ? {} : { classes: model.classes },
      );
      return [{ target, plan, profile }];
    });
    this.metrics = new DriftMetrics(layoutOf(plans), registry);
    this.quantiles = new FeatureQuantileMetrics(quantileLayoutOf(plans), registry);
    this.planned = plans.map(({ target, plan }, i) => ({
      target,
      plan,
      index: i,
      series: this.metrics.series[i] as TargetSeries,
      latest: undefined,
    }));
  }

  /** Starts evaluating on the spec's interval; the timer does not keep the process alive. */
  start(): void {
    this.timer ??= setInterval(() => void this.evaluateAll(), this.spec.drift.evaluation_interval_seconds * 1000);
    this.timer.unref();
  }

  /** Stops the interval; an evaluation in progress finishes. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Evaluates every window once (joining a run already in progress rather than overlapping it). */
  evaluateAll(): Promise<void> {
    this.running ??= this.evaluateTargets().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The latest report of a model (and version, with `drift.per_version`), or undefined before its first evaluation. */
  latest(model: string, version?: string): DriftReport | undefined {
    return this.find(model, version)?.latest;
  }

  /** Whether a model has a drift plan at all (a reference profile to compare with). */
  monitors(model: string): boolean {
    return this.planned.some((p) => p.target.model === model);
  }

  /** The latest report of every target that has one, for a state snapshot. */
  latestReports(): DriftReport[] {
    return this.planned.flatMap((p) => (p.latest === undefined ? [] : [p.latest]));
  }

  /**
   * Makes `report` (from a snapshot of the same spec and profile) the latest of its target and
   * publishes its gauges, so a restart does not blank the verdicts; false when there is no such target.
   */
  restoreLatest(report: DriftReport): boolean {
    const planned = this.find(report.model, report.version);
    if (planned === undefined) return false;
    planned.latest = report;
    this.publish(planned.series, report);
    return true;
  }

  private find(model: string, version?: string): PlannedTarget | undefined {
    return this.planned.find((p) => p.target.model === model && p.target.version === version);
  }

  private async evaluateTargets(): Promise<void> {
    for (const planned of this.planned) {
      const started = performance.now();
      try {
        const snapshot = planned.target.window.snapshot(this.now(), this.snapshotBuffers);
        const report = await evaluateDriftAsync(snapshot, planned.plan, { scratch: this.scratch });
        planned.latest = report;
        this.publish(planned.series, report);
        this.publishQuantiles(planned.index, snapshot, report);
      } catch (error) {
        this.logger?.error(
          { err: error, model: planned.target.model },
          'drift evaluation failed; keeping the previous verdict',
        );
      }
      this.metrics.evaluationSeconds.observe(0, (performance.now() - started) / 1000);
    }
  }

  /** The window quantiles of each numeric feature the report has a verdict on; NaN for the others. */
  private publishQuantiles(index: number, snapshot: WindowSnapshot, report: DriftReport): void {
    for (const row of report.features) {
      this.quantiles.publishWindow(
        index,
        row.feature,
        row.status === 'ok' ? snapshot.numeric.get(row.feature) : undefined,
      );
    }
  }

  private publish(series: TargetSeries, report: DriftReport): void {
    const m = this.metrics;
    m.windowSamples.set(series.target, report.window_size);
    m.share.set(series.target, report.drift_share ?? Number.NaN);
    m.drifted.set(series.target, flag(report.drifted));
    m.datasetDrift.set(series.target, flag(report.dataset_drift));
    for (const row of report.features) {
      const at = series.feature.get(row.feature);
      if (at !== undefined)
        publishRow(row, at, m.featureScore, [m.featurePvalue, m.featureCorrectedPvalue], m.featureDrifted);
    }
    for (const row of [report.output_drift?.prediction, report.output_drift?.confidence]) {
      const at = row === undefined ? undefined : series.output.get(row.feature);
      if (row !== undefined && at !== undefined)
        publishRow(row, at, m.outputScore, [m.outputPvalue, m.outputCorrectedPvalue], m.outputDrifted);
    }
  }
}

type Gauge = DriftMetrics['featureScore'];

function publishRow(
  row: FeatureDrift,
  at: { score: number; pvalue: number },
  score: Gauge,
  [pvalue, corrected]: readonly [Gauge, Gauge],
  drifted: Gauge,
): void {
  score.set(at.score, row.statistic ?? Number.NaN);
  if (at.pvalue >= 0) {
    pvalue.set(at.pvalue, row.pvalue ?? Number.NaN);
    corrected.set(at.pvalue, row.adjusted_pvalue ?? Number.NaN);
  }
  // An untested feature (too few samples, or a broken test) has no verdict: NaN, not "not drifted".
  drifted.set(at.score, row.status === 'ok' ? flag(row.drifted) : Number.NaN);
}

/** A verdict as a gauge value: 1, 0, or NaN when there is none. */
function flag(verdict: boolean | null): number {
  return verdict === null ? Number.NaN : verdict ? 1 : 0;
}

function quantileLayoutOf(
  plans: ReadonlyArray<{ target: DriftTarget; plan: DriftPlan; profile: ReferenceProfile }>,
): QuantileLayout {
  return {
    targets: plans.map(({ target, plan, profile }) => ({
      model: target.model,
      ...(target.version === undefined ? {} : { version: target.version }),
      // The plan's numeric features, with the sample of their reference profile.
      features: plan.features.flatMap((entry) => {
        const feature = profile.features.find((f) => f.name === entry.name);
        return entry.column.kind === 'numeric' && feature?.type === 'numeric'
          ? [{ name: entry.name, referenceSample: feature.sample }]
          : [];
      }),
    })),
  };
}

function layoutOf(plans: ReadonlyArray<{ target: DriftTarget; plan: DriftPlan }>): DriftLayout {
  return {
    targets: plans.map(({ target, plan }) => ({
      model: target.model,
      ...(target.version === undefined ? {} : { version: target.version }),
      features: plan.features.map((f) => ({ name: f.name, test: f.test, pValue: isPValueTest(f.test) })),
      outputs: (['prediction', 'confidence'] as const).flatMap((name) => {
        const entry = plan.outputs[name];
        return entry === undefined ? [] : [{ name, test: entry.test, pValue: isPValueTest(entry.test) }];
      }),
    })),
  };
}
