/**
 * What a snapshot of the recent-id store costs the event loop: `npm run build && node
 * dist/bench/id-snapshot-bench.js [ids…]` (default 100000 1000000).
 *
 * Per size, a store of that capacity is filled with fresh UUID ids parsed from JSON bodies (as the
 * exporter gets them), under the repository's mlwatch.yaml. Then the `recent_ids` section is
 * captured and its data turned into JSON (`JSON.stringify`, as the snapshot file writes it), and
 * that JSON parsed and restored into an empty store of the same capacity. Each step is timed
 * synchronously, median of RUNS runs; the JSON's size is printed beside it. No target: the figure
 * is the stall a snapshot puts on the event loop every `state.snapshot_interval_seconds`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from 'simple-statistics';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../spec/src/conventions';
import { loadSpec } from '../spec/src/load-spec';
import { idStoreSection } from '../exporter/src/joins/id-store-section';
import { IdStore } from '../exporter/src/joins/id-store';
import { FixedCounter } from '../exporter/src/metrics/fixed-counter';
import { SeriesLayout } from '../exporter/src/metrics/series-layout';
import { writeSnapshotFile } from '../exporter/src/state/snapshot-file';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  type SnapshotDocument,
} from '../exporter/src/state/snapshot-document';

const RUNS = 5;
/** Ids per parsed body: an ingest batch's worth. */
const BODY_EVENTS = 1000;

function newStore(capacity: number): IdStore {
  const evictions = new FixedCounter(
    METRICS.idStoreEvictionsTotal,
    'bench',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  );
  return new IdStore(capacity, null, evictions);
}

function filled(count: number, now: number): IdStore {
  const store = newStore(count);
  for (let start = 0; start < count; start += BODY_EVENTS) {
    const size = Math.min(BODY_EVENTS, count - start);
    const ids = JSON.parse(JSON.stringify(Array.from({ length: size }, () => randomUUID()))) as string[];
    ids.forEach((id, k) => store.claim(id, 0, (start + k) & 1, Number.NaN, now - count + start + k, 0.5));
  }
  return store;
}

function timed<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

/** The longest the event loop went without running a callback while `work` ran, in ms. */
async function longestBlockDuring(work: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  let done = false;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  done = true;
  return Math.max(longest, performance.now() - last);
}

function ms(values: number[]): string {
  return `${median(values).toFixed(0)} ms (runs ${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})`;
}

async function main(): Promise<void> {
  const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [100_000, 1_000_000];
  const layout = new SeriesLayout(loadSpec(path.join(__dirname, '..', '..', 'mlwatch.yaml')).spec);
  for (const count of sizes) {
    const now = Date.now();
    const store = filled(count, now);
    const section = idStoreSection(store, layout);
    const capture: number[] = [];
    const stringify: number[] = [];
    const restore: number[] = [];
    const writeBlock: number[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwatch-id-snapshot-bench-'));
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const [data, captureMs] = timed(() => section.capture(now));
      const [json, stringifyMs] = timed(() => JSON.stringify(data));
      const document: SnapshotDocument = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_FORMAT_VERSION,
        written_at: new Date(now).toISOString(),
        sections: { recent_ids: data },
      };
      writeBlock.push(await longestBlockDuring(() => writeSnapshotFile(path.join(dir, 'snapshot.json'), document)));
      capture.push(captureMs);
      stringify.push(stringifyMs);
      bytes = json.length;
      const target = newStore(count);
      const [, restoreMs] = timed(() => idStoreSection(target, layout).restore(JSON.parse(json) as unknown, now));
      if (target.size !== count) throw new Error(`restored ${target.size} ids of ${count}`);
      restore.push(restoreMs);
    }
    rmSync(dir, { recursive: true, force: true });
    const total = capture.map((c, i) => c + (stringify[i] as number));
    console.log(
      `${count.toLocaleString('en-US')} UUID ids: capture ${ms(capture)}, JSON.stringify ${ms(stringify)}, ` +
        `together ${ms(total)}; ${(bytes / 2 ** 20).toFixed(1)} MiB of JSON; ` +
        `writing the file (sliced): longest event-loop block ${ms(writeBlock)}; parse + restore ${ms(restore)}`,
    );
  }
}

void main();
