import type { ModelSpec } from '../../../spec/src/schema';
import type { Random } from '../demo/random';
import type { FeatureRow, FeatureValue } from '../../../spec/src/model-types';
import { applyFeatureEffects, compileFeatureEffects } from './feature-effects';
import { phaseAt, type FaultEffect, type FeatureEffect, type ScenarioDefinition } from './scenarios';
import { planVersions, type VersionPlan } from './version-plan';

/** One event the simulator is about to send, after the scenario had its way with it. */
export interface PlannedEvent {
  /** Name of the scenario phase the event belongs to. */
  readonly phase: string;
  readonly features: Record<string, FeatureValue>;
  /** The version to pin; undefined lets the exporter choose by the spec's weights. */
  readonly version: string | undefined;
  /** Latency the scenario adds to this prediction, in milliseconds. */
  readonly addedLatencyMs: number;
  /** True when the scenario makes this prediction fail. */
  readonly fail: boolean;
}

export interface TrafficSourceOptions {
  /** Choose a version for every event (ingest mode must name one); otherwise only when the scenario needs to. */
  readonly alwaysPickVersion: boolean;
}

/** A phase resolved against the model once, so that drawing an event is a few lookups. */
interface CompiledPhase {
  readonly effects: readonly FeatureEffect[];
  readonly faults: readonly FaultEffect[];
  readonly canaryShare: number | undefined;
  /** The phase treats the canary differently, so each event must know its version up front. */
  readonly pinsVersion: boolean;
}

/** Draws reference rows with a seeded generator and shapes them by the scenario's phase at a given moment. */
export class TrafficSource {
  private readonly phases: readonly CompiledPhase[];
  private readonly versions: VersionPlan;

  constructor(
    model: ModelSpec,
    private readonly rows: readonly FeatureRow[],
    private readonly scenario: ScenarioDefinition,
    private readonly random: Random,
    private readonly options: TrafficSourceOptions,
  ) {
    if (rows.length === 0) throw new Error(`no reference rows to draw traffic for model ${model.name} from`);
    this.versions = planVersions(model);
    this.phases = scenario.phases.map((phase) => {
      const faults = phase.faults ?? [];
      const targetsCanary = phase.canaryShare !== undefined || faults.some((f) => f.target === 'canary');
      if (targetsCanary && this.versions.canary === undefined) {
        throw new Error(
          `scenario ${scenario.name} needs a canary, but model ${model.name} has only one version with an artifact`,
        );
      }
      return {
        effects: compileFeatureEffects(phase.features ?? [], model.features),
        faults,
        canaryShare: phase.canaryShare,
        pinsVersion: targetsCanary,
      };
    });
  }

  /** The next event at `fraction` (0 to 1) of the run. */
  next(fraction: number): PlannedEvent {
    const at = phaseAt(this.scenario, fraction);
    const phase = this.phases[at.index] as CompiledPhase;
    const row = this.rows[Math.floor(this.random.next() * this.rows.length)] as FeatureRow;
    const features = applyFeatureEffects(row, phase.effects, at.strength, this.random);
    const version = this.chooseVersion(phase, at.strength);
    let addedLatencyMs = 0;
    let fail = false;
    for (const fault of phase.faults) {
      if (fault.target === 'canary' && version !== this.versions.canary) continue;
      if (fault.kind === 'latency' && this.random.next() < fault.share * at.strength) addedLatencyMs += fault.addMs;
      if (fault.kind === 'error' && this.random.next() < fault.rate * at.strength) fail = true;
    }
    return { phase: at.phase.name, features, version, addedLatencyMs, fail };
  }

  private chooseVersion(phase: CompiledPhase, strength: number): string | undefined {
    if (phase.canaryShare !== undefined) {
      return this.random.next() < phase.canaryShare * strength ? this.versions.canary : this.versions.baseline;
    }
    if (phase.pinsVersion || this.options.alwaysPickVersion) return this.versions.byWeight(this.random.next());
    return undefined;
  }
}
