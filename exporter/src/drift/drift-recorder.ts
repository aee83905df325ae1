import type { Registry } from 'prom-client';
import type { DriftSpec, Spec } from '../../../spec/src/schema';
import type { VersionSlot } from '../metrics/series-layout';
import { FleetBins, type ModelBins } from './fleet/fleet-bins';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { DriftWindow, type WindowEvent } from './window/drift-window';

/** One drift window and what it is judged against. */
export interface DriftTarget {
  readonly model: string;
  /** Set when `drift.per_version` asks for one window per version. */
  readonly version?: string;
  readonly window: DriftWindow;
}

interface ModelEntry {
  readonly bins: ModelBins;
  /** The model's single window, or one per version. */
  readonly targets: ReadonlyMap<string | undefined, DriftTarget>;
  readonly perVersion: boolean;
}

/**
 * The request path's side of drift: every accepted event goes into its model's window
 * and the fleet bin counters. Both are typed arrays sized at start-up, so recording
 * costs a few array writes and never allocates.
 */
export class DriftRecorder {
  readonly fleet: FleetBins;
  readonly targets: readonly DriftTarget[];
  private readonly models: ReadonlyMap<string, ModelEntry>;

  /** `registry` receives the fleet counters (see FleetBins). */
  constructor(spec: Spec, profiles: ReadonlyMap<string, ReferenceProfile>, registry?: Registry) {
    this.fleet = new FleetBins(spec, profiles, registry);
    const targets: DriftTarget[] = [];
    const models = new Map<string, ModelEntry>();
    const bounds = windowBounds(spec.drift);
    for (const model of spec.models) {
      const byVersion = new Map<string | undefined, DriftTarget>();
      const versions = spec.drift.per_version ? model.versions.map((v) => v.name) : [undefined];
      for (const version of versions) {
        const target: DriftTarget = {
          model: model.name,
          ...(version === undefined ? {} : { version }),
          window: new DriftWindow(model, bounds, version),
        };
        byVersion.set(version, target);
        targets.push(target);
      }
      models.set(model.name, {
        bins: this.fleet.models.get(model.name) as ModelBins,
        targets: byVersion,
        perVersion: spec.drift.per_version,
      });
    }
    this.models = models;
    this.targets = targets;
  }

  /** Records one accepted event of `slot`'s model version; `nowMs` is its arrival time. */
  record(slot: VersionSlot, event: WindowEvent, nowMs: number): void {
    const entry = this.models.get(slot.model);
    if (entry === undefined) return;
    this.windowOf(slot)?.record(event, nowMs);
    this.fleet.record(entry.bins, event.features);
  }

  /** The window events of `slot`'s model version go into: the model's, or the version's own. */
  windowOf(slot: VersionSlot): DriftWindow | undefined {
    const entry = this.models.get(slot.model);
    return entry?.targets.get(entry.perVersion ? slot.version : undefined)?.window;
  }
}

function windowBounds(drift: DriftSpec): { capacity: number; maxAgeMs: number | null } {
  return {
    capacity: drift.window_size,
    maxAgeMs: drift.max_age_seconds === null ? null : drift.max_age_seconds * 1000,
  };
}
