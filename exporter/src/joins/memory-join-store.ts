import type { VersionSlot } from '../metrics/series-layout';
import type { IdStore } from './id-store';
import { LABEL_SCOPE, type ClaimScope, type JoinStore, type JoinedPrediction, type LabelClaim } from './join-store';

const DUPLICATE: LabelClaim = { result: 'duplicate' };
const UNMATCHED: LabelClaim = { result: 'unmatched' };

/**
 * The join store of a single exporter: labels and outcomes find their predictions in the
 * recent-id store, which already holds every accepted prediction with its class, output and raw
 * confidence (the recorder claims each id there before anything else), so `remember` has nothing
 * to add. The ids claimed already sit in one more bounded store per scope (the labelled ids, and
 * one per outcome event, made at its first claim so an unused event costs nothing), shared by
 * joined and stateless claims, so each counts once whichever way it came. Every operation is O(1)
 * per id.
 */
export class MemoryJoinStore implements JoinStore {
  private readonly ttlMs: number;
  private readonly claimed = new Map<ClaimScope, IdStore>();

  constructor(
    /** The recent-id store, keeping at least `joins.capacity` predictions. */
    private readonly predictions: IdStore,
    /** Ids labelled already: capacity `joins.capacity`, maximum age `joins.ttl_seconds`. */
    labelled: IdStore,
    /** By VersionSlot.index: each model version, to name a joined prediction's. */
    private readonly slots: readonly (VersionSlot | undefined)[],
    /** Seconds a prediction can still be labelled (`joins.ttl_seconds`). */
    ttlSeconds: number,
    /** Makes the bounded store of a scope other than the label scope, at its first use (capacity `joins.capacity`, maximum age `joins.ttl_seconds`). */
    private readonly newScopeStore: (scope: ClaimScope) => IdStore,
  ) {
    this.ttlMs = ttlSeconds * 1000;
    this.claimed.set(LABEL_SCOPE, labelled);
  }

  /** The ids claimed in `scope`; undefined when nothing was claimed there yet, unless `create`. */
  scopeStore(scope: ClaimScope, create: boolean): IdStore | undefined {
    let store = this.claimed.get(scope);
    if (store === undefined && create) {
      store = this.newScopeStore(scope);
      this.claimed.set(scope, store);
    }
    return store;
  }

  /** Nothing to do: the recorder claimed the id in the recent-id store, with its confidence, already. */
  remember(): void {
    // The recent-id store is this store's memory of predictions.
  }

  claim(ids: readonly string[], nowMs: number, scope: ClaimScope = LABEL_SCOPE): Promise<LabelClaim[]> {
    const claimed = this.scopeStore(scope, true) as IdStore;
    return Promise.resolve(ids.map((id) => this.claimOne(id, nowMs, claimed)));
  }

  claimStateless(ids: readonly string[], nowMs: number, scope: ClaimScope = LABEL_SCOPE): Promise<boolean[]> {
    const claimed = this.scopeStore(scope, true) as IdStore;
    return Promise.resolve(ids.map((id) => claimed.claim(id, -1, -1, Number.NaN, nowMs)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private claimOne(id: string, nowMs: number, claimed: IdStore): LabelClaim {
    const found = this.predictions.get(id, nowMs);
    // The recent-id store may keep ids longer (its own max age) than a label may join them.
    if (found === undefined || found.timeMs < nowMs - this.ttlMs) return UNMATCHED;
    const slot = this.slots[found.slot];
    if (slot === undefined) return UNMATCHED;
    if (!claimed.claim(id, found.slot, found.classIndex, found.output, nowMs)) return DUPLICATE;
    const prediction: JoinedPrediction = {
      model: slot.model,
      version: slot.version,
      classIndex: found.classIndex,
      output: found.output,
      confidence: decimalOf(found.confidence),
      timeMs: found.timeMs,
    };
    return { result: 'joined', prediction };
  }
}

/**
 * The decimal a client most likely sent for a probability kept as a float32 (0.9, not
 * 0.8999999761581421): rounded to seven decimals, within the float32's own precision.
 */
function decimalOf(float32: number): number {
  return Math.round(float32 * 1e7) / 1e7;
}
