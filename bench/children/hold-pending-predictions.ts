/**
 * Child process of labels figure 2: fills the memory join store (the recent-id `IdStore`) with N
 * pending predictions under fresh UUID ids, as label-awaiting predictions would sit in a running
 * exporter, and prints one JSON line of memory readings before and after (bench/children/
 * hold-drift-state.ts's format). Run with --expose-gc, so readings follow a full GC.
 *
 * The ids reach the store as the exporter's do: parsed from a JSON body of BODY_EVENTS ids, so each
 * is a flat string. (`randomUUID()` itself returns a cons string of about a dozen pieces, an object
 * the exporter never sees.)
 *
 * Usage: node --expose-gc hold-pending-predictions.js <predictions>
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../spec/src/conventions';
import { IdStore } from '../../exporter/src/joins/id-store';
import { FixedCounter } from '../../exporter/src/metrics/fixed-counter';
import type { MemoryReading } from './hold-drift-state';

/** Ids per parsed body: an ingest batch's worth. */
const BODY_EVENTS = 1000;

function reading(stage: string): MemoryReading {
  if (globalThis.gc === undefined) throw new Error('hold-pending-predictions: run with node --expose-gc');
  // Two passes: the first can leave weak references and finalizers for the second.
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  const peakRss = match === null ? Number.NaN : Number(match[1]) * 1024;
  return { stage, rss: usage.rss, heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, peakRss };
}

function main(): void {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: hold-pending-predictions.js <predictions>');
  const evictions = new FixedCounter(
    METRICS.idStoreEvictionsTotal,
    'bench',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  );
  const store = new IdStore(count, null, evictions);
  console.log(JSON.stringify(reading('baseline: modules loaded, empty store')));
  const now = Date.now();
  // Each id is a fresh string parsed from a request body, held by nothing but what the store keeps of it.
  for (let start = 0; start < count; start += BODY_EVENTS) {
    const size = Math.min(BODY_EVENTS, count - start);
    const body = JSON.stringify(Array.from({ length: size }, () => randomUUID()));
    const ids = JSON.parse(body) as string[];
    ids.forEach((id, k) => {
      const i = start + k;
      store.claim(id, i & 3, i & 1, Number.NaN, now + i);
    });
  }
  console.log(JSON.stringify(reading(`${count.toLocaleString('en-US')} pending predictions held`)));
  if (store.size !== count) throw new Error(`the store holds ${store.size} predictions, expected ${count}`);
}

main();
