import { ID_STORE_EVICTION_REASONS, JOIN_STORE_OPERATIONS } from '../../../spec/src/conventions';
import type { Spec } from '../../../spec/src/schema';
import { FixedCounter } from '../metrics/fixed-counter';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import type { SeriesLayout, VersionSlot } from '../metrics/series-layout';
import type { StateSection } from '../state/state-section';
import { IdStore } from './id-store';
import type { JoinStore } from './join-store';
import { labelledIdSection } from './labelled-id-section';
import { MemoryJoinStore } from './memory-join-store';
import { outcomeIdSection } from './outcome-id-section';
import { RedisJoinStore, redisUrlOf } from './redis-join-store';

/** A join store with the state sections it snapshots. */
export interface BuiltJoinStore {
  readonly store: JoinStore;
  /** Sections to add to the exporter's state (the memory store's labelled ids; none for a shared store). */
  readonly sections: readonly StateSection[];
}

/** Whether any model of the spec takes labels (has a `quality` section). */
export function labelsEnabled(spec: Spec): boolean {
  return spec.models.some((model) => model.quality !== undefined);
}

/** Whether anything joins to predictions: a model takes labels or outcomes. */
export function joinsEnabled(spec: Spec): boolean {
  return spec.models.some((model) => model.quality !== undefined || model.outcomes !== undefined);
}

/**
 * Bounds of the recent-id store: the spec's `exporter.recent_ids`, widened when labels or
 * outcomes join through it (a model has `quality` or `outcomes` and `joins.store` is `memory`) so
 * a prediction stays joinable for `joins.capacity` ids and `joins.ttl_seconds`.
 */
export function recentIdBounds(spec: Spec): { capacity: number; maxAgeSeconds: number | null } {
  const { capacity, max_age_seconds: maxAgeSeconds } = spec.exporter.recent_ids;
  if (!joinsEnabled(spec) || spec.joins.store !== 'memory') return { capacity, maxAgeSeconds };
  return {
    capacity: Math.max(capacity, spec.joins.capacity),
    maxAgeSeconds: maxAgeSeconds === null ? null : Math.max(maxAgeSeconds, spec.joins.ttl_seconds),
  };
}

/**
 * The join store the spec chooses, or undefined when no model takes labels or outcomes. `ids` is the
 * exporter's recent-id store (built with {@link recentIdBounds}); a shared store counts its
 * failures in `metrics.quality.joinStoreErrors`. A Redis URL comes from `joins.redis.url`, else the
 * variable `joins.redis.url_env` of `env`; neither stops the start naming both.
 */
export function createJoinStore(
  spec: Spec,
  ids: IdStore,
  metrics: ExporterMetrics,
  env: NodeJS.ProcessEnv = process.env,
): BuiltJoinStore | undefined {
  if (!joinsEnabled(spec)) return undefined;
  const { layout } = metrics;
  const { capacity, ttl_seconds: ttlSeconds } = spec.joins;
  switch (spec.joins.store) {
    case 'memory': {
      // An id leaves a claimed-id store after its prediction left the recent-id store, whose
      // evictions are counted; these stores' own are not exported.
      const evictions = new FixedCounter(
        'claimed_id_evictions',
        '',
        ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
      );
      const newStore = (): IdStore => new IdStore(capacity, ttlSeconds, evictions);
      const labelled = newStore();
      const store = new MemoryJoinStore(ids, labelled, joinedSlots(layout), ttlSeconds, newStore);
      return {
        store,
        sections: [labelledIdSection(labelled), ...outcomeEvents(spec).map((event) => outcomeIdSection(store, event))],
      };
    }
    case 'redis': {
      const errors = metrics.quality.joinStoreErrors;
      const store = new RedisJoinStore(redisUrlOf(spec.joins, env), spec.joins, {
        inc: (operation) => errors.inc(JOIN_STORE_OPERATIONS.indexOf(operation)),
      });
      // The shared store keeps its own state: nothing to snapshot.
      return { store, sections: [] };
    }
  }
}

/** The versions of every model that takes labels or outcomes, by VersionSlot.index (a claim of another model's prediction is unmatched). */
function joinedSlots(layout: SeriesLayout): (VersionSlot | undefined)[] {
  const slots: (VersionSlot | undefined)[] = [];
  for (const model of layout.models.values())
    if (model.spec.quality !== undefined || model.spec.outcomes !== undefined)
      for (const slot of model.versions.values()) slots[slot.index] = slot;
  return slots;
}

/** Every outcome event the spec declares, once, sorted (two models may declare one name). */
function outcomeEvents(spec: Spec): string[] {
  const events = new Set(spec.models.flatMap((model) => Object.keys(model.outcomes?.events ?? {})));
  return [...events].sort();
}
