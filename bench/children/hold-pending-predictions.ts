/**
 * Child process of labels figure 2: fills the memory join store (the recent-id `IdStore`) with N
 * pending predictions under fresh UUID ids, as label-awaiting predictions would sit in a running
 * exporter, and prints one JSON line of memory readings before and after (bench/children/
 * hold-drift-state.ts's format). Run with --expose-gc, so readings follow a full GC.
 *
 * Usage: node --expose-gc hold-pending-predictions.js <predictions>
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../spec/src/conventions';
import { IdStore } from '../../exporter/src/joins/id-store';
import { FixedCounter } from '../../exporter/src/metrics/fixed-counter';
import type { MemoryReading } from './hold-drift-state';

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
  // Each id is a fresh string held only by the store, as one parsed from a request body would be.
  for (let i = 0; i < count; i++) store.claim(randomUUID(), i & 3, i & 1, Number.NaN, now + i);
  console.log(JSON.stringify(reading(`${count.toLocaleString('en-US')} pending predictions held`)));
  if (store.size !== count) throw new Error(`the store holds ${store.size} predictions, expected ${count}`);
}

main();
