/**
 * The ids whose outcome of one event was counted already, as a state section of the memory join
 * store: an outcome retried across a restart or a reload is still a duplicate, counted once.
 */
import { ID_STORE_EVICTION_REASONS } from '../../../spec/src/conventions';
import type { StateSection } from '../state/state-section';
import { FixedCounter } from '../metrics/fixed-counter';
import { IdStore } from './id-store';
import { outcomeScope } from './join-store';
import { labelledIdSection } from './labelled-id-section';
import type { MemoryJoinStore } from './memory-join-store';

/** Name of the section of an event's claimed ids in a snapshot document, e.g. `outcome_ids:checkout`. */
export function outcomeIdSectionName(event: string): string {
  return `outcome_ids:${event}`;
}

/** What an event never claimed captures: an empty store (its ring is allocated at the first claim). */
const NOTHING_CLAIMED = new IdStore(
  0,
  null,
  new FixedCounter(
    'unused_evictions',
    '',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  ),
);

/**
 * The claimed ids of `event` in the labelled-id layout (labelled-id-section.ts). The event's store
 * is made at its first claim or restore, so an event without outcomes captures an empty list and
 * costs nothing.
 */
export function outcomeIdSection(store: MemoryJoinStore, event: string): StateSection {
  const name = outcomeIdSectionName(event);
  const scope = outcomeScope(event);
  return {
    name,
    durable: true,
    capture: (nowMs) => labelledIdSection(store.scopeStore(scope, false) ?? NOTHING_CLAIMED, name).capture(nowMs),
    restore: (data, nowMs) => labelledIdSection(store.scopeStore(scope, true) as IdStore, name).restore(data, nowMs),
  };
}
