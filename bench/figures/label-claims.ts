/**
 * Labels figure 1: how many label claims a join store answers per second, without HTTP. Three
 * sides over the same ids in each run: the baseline, a plain `Map` (get the prediction, set the
 * label marker); the memory store (the recent-id `IdStore`: claim the label's id in a labelled-id
 * store, then get the prediction); and the Redis store on loopback (`RedisJoinStore.claim` in
 * batches, as the label route calls it). Ratios are against the baseline of the same run.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../spec/src/conventions';
import { joinsSchema } from '../../spec/src/schema';
import type { JoinedPrediction } from '../../exporter/src/joins/join-store';
import { IdStore } from '../../exporter/src/joins/id-store';
import { RedisJoinStore } from '../../exporter/src/joins/redis-join-store';
import { FixedCounter } from '../../exporter/src/metrics/fixed-counter';
import { median } from '../support/median';
import { processCpuSeconds } from '../support/process-cpu';
import { num, row, verdict } from '../support/report';

/** Label claims per second the memory store must answer on its own: the HTTP target's, with room for HTTP. */
export const MEMORY_CLAIMS_TARGET = 200_000;
export const REDIS_CLAIMS_TARGET = 50_000;
/** Ids claimed per side per run. */
const IDS = 200_000;
/** Ids per claim call: a label body's worth. */
const BATCH = 1000;
/** Claim calls in flight at once against Redis, as label requests on a few connections would be. */
const REDIS_CONCURRENCY = 4;
/** Predictions remembered between two round trips to Redis. */
const REMEMBER_CHUNK = 10_000;

export interface LabelClaimsResult {
  mapPerSecond: number;
  memoryPerSecond: number;
  redisPerSecond: number;
  /** Predictions written per second by `remember` until Redis held them all. */
  redisRememberPerSecond: number;
  memoryPass: boolean;
  redisPass: boolean;
}

interface Run {
  map: number;
  memory: number;
  redis: number;
  redisRemember: number;
  /** CPU time per Redis claim, µs: this process's (the client's) and redis-server's. */
  clientMicros: number;
  serverMicros: number;
}

/** Runs the figure `runs` times, the sides in turn, against the Redis at `redisUrl`; throws when a side joins the wrong count. */
export async function runLabelClaims(
  redis: { url: string; pid: number | undefined },
  runs: number,
): Promise<LabelClaimsResult> {
  console.log(
    `\nFigure 1 — label claims/s of the join stores alone: ${num(IDS)} ids per side per run, ` +
      `Redis claims in calls of ${num(BATCH)} ids, ${REDIS_CONCURRENCY} in flight; ${runs} runs, medians`,
  );
  console.log(
    `  ${row([
      ['run', -4],
      ['Map (baseline)', 16],
      ['memory store', 14],
      ['Redis store', 13],
      ['Redis remember', 15],
      ['CPU µs/claim client + Redis', 29],
    ])}`,
  );
  const all: Run[] = [];
  for (let run = 0; run < runs; run++) {
    const ids = Array.from({ length: IDS }, () => randomUUID());
    const result: Run = {
      map: mapSide(ids),
      memory: memorySide(ids),
      ...(await redisSide(ids, redis, `mlwatch-bench-${process.pid}-${run}:`)),
    };
    all.push(result);
    console.log(
      `  ${row([
        [String(run + 1), -4],
        [`${num(result.map)}/s`, 16],
        [`${num(result.memory)}/s`, 14],
        [`${num(result.redis)}/s`, 13],
        [`${num(result.redisRemember)}/s`, 15],
        [`${num(result.clientMicros, 1)} + ${num(result.serverMicros, 1)}`, 29],
      ])}`,
    );
  }
  const mapPerSecond = median(all.map((r) => r.map));
  const memoryPerSecond = median(all.map((r) => r.memory));
  const redisPerSecond = median(all.map((r) => r.redis));
  const redisRememberPerSecond = median(all.map((r) => r.redisRemember));
  const memoryPass = memoryPerSecond >= MEMORY_CLAIMS_TARGET;
  const redisPass = redisPerSecond >= REDIS_CLAIMS_TARGET;
  console.log(
    `  median: Map ${num(mapPerSecond)}/s; memory store ${num(memoryPerSecond)}/s ` +
      `(${num(memoryPerSecond / mapPerSecond, 2)} of the Map)   ${verdict(num(memoryPerSecond), num(MEMORY_CLAIMS_TARGET), memoryPass)}`,
  );
  console.log(
    `          Redis store ${num(redisPerSecond)}/s (${num(redisPerSecond / mapPerSecond, 3)} of the Map)   ` +
      `${verdict(num(redisPerSecond), num(REDIS_CLAIMS_TARGET), redisPass)}; remember ${num(redisRememberPerSecond)} predictions/s`,
  );
  const clientMicros = median(all.map((r) => r.clientMicros));
  const serverMicros = median(all.map((r) => r.serverMicros));
  console.log(
    `          CPU per Redis claim: ${num(clientMicros, 1)} µs here + ${num(serverMicros, 1)} µs in redis-server ` +
      `(${num(1e6 / serverMicros)} claims per redis-server CPU-second: the ceiling of one Redis core)`,
  );
  return { mapPerSecond, memoryPerSecond, redisPerSecond, redisRememberPerSecond, memoryPass, redisPass };
}

function prediction(i: number): JoinedPrediction {
  return { model: 'fraud', version: 'v1', classIndex: i & 1, output: Number.NaN, confidence: 0.9, timeMs: Date.now() };
}

/** The baseline: the predictions in a Map, each label a get and, the first time, a set of its marker. */
function mapSide(ids: readonly string[]): number {
  const predictions = new Map<string, JoinedPrediction>();
  ids.forEach((id, i) => predictions.set(id, prediction(i)));
  const labelled = new Map<string, true>();
  let joined = 0;
  const started = performance.now();
  for (const id of ids) {
    const found = predictions.get(id);
    if (found !== undefined && !labelled.has(id)) {
      labelled.set(id, true);
      joined++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  expectJoined('Map', joined, ids.length);
  return ids.length / seconds;
}

/** The memory store: predictions and labelled ids in two recent-id stores; a label claims its id, then gets its prediction. */
function memorySide(ids: readonly string[]): number {
  const evictions = (): FixedCounter =>
    new FixedCounter(
      METRICS.idStoreEvictionsTotal,
      'bench',
      ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
    );
  const now = Date.now();
  const predictions = new IdStore(ids.length, null, evictions());
  ids.forEach((id, i) => predictions.claim(id, 0, i & 1, Number.NaN, now));
  const labelled = new IdStore(ids.length, null, evictions());
  let joined = 0;
  const started = performance.now();
  for (const id of ids) {
    if (labelled.claim(id, 0, -1, Number.NaN, now) && predictions.get(id, now) !== undefined) joined++;
  }
  const seconds = (performance.now() - started) / 1000;
  expectJoined('memory store', joined, ids.length);
  return ids.length / seconds;
}

/** The Redis store: every prediction remembered (timed until the last is in Redis), then claimed in batches. */
async function redisSide(
  ids: readonly string[],
  redis: { url: string; pid: number | undefined },
  keyPrefix: string,
): Promise<Pick<Run, 'redis' | 'redisRemember' | 'clientMicros' | 'serverMicros'>> {
  let errors = 0;
  const joins = joinsSchema.parse({ store: 'redis', ttl_seconds: 600, redis: { key_prefix: keyPrefix } });
  const store = new RedisJoinStore(redis.url, joins, { inc: () => errors++ }, { commandTimeoutMs: 5000 });
  try {
    await store.waitUntilReady(5000);
    const rememberStarted = performance.now();
    // As requests would: a body's predictions at a time, with a round trip after every
    // REMEMBER_CHUNK of them (a claim goes through the same connection after the queued writes, so
    // its answer means they are in), which keeps the writes in flight under the store's cap.
    for (let start = 0; start < ids.length; start += REMEMBER_CHUNK) {
      for (let i = start; i < Math.min(start + REMEMBER_CHUNK, ids.length); i++) {
        store.remember(ids[i] as string, prediction(i));
      }
      await new Promise((resolve) => setImmediate(resolve));
      await store.claim(['bench-settle-probe']);
    }
    const redisRemember = ids.length / ((performance.now() - rememberStarted) / 1000);
    if (errors > 0) throw new Error(`Redis store: ${errors} predictions were not written`);

    let joined = 0;
    let next = 0;
    const clientBefore = process.cpuUsage();
    const serverBefore = redis.pid === undefined ? Number.NaN : processCpuSeconds(redis.pid);
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const batch = ids.slice(next, next + BATCH);
        next += BATCH;
        for (const claim of await store.claim(batch)) if (claim.result === 'joined') joined++;
      }
    };
    await Promise.all(Array.from({ length: REDIS_CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const serverSeconds = redis.pid === undefined ? Number.NaN : processCpuSeconds(redis.pid) - serverBefore;
    expectJoined('Redis store', joined, ids.length);
    return {
      redis: ids.length / seconds,
      redisRemember,
      clientMicros: (client.user + client.system) / ids.length,
      serverMicros: (serverSeconds * 1e6) / ids.length,
    };
  } finally {
    await store.close();
  }
}

function expectJoined(side: string, joined: number, expected: number): void {
  if (joined !== expected)
    throw new Error(`${side}: ${joined} of ${expected} labels joined; the run measured something else`);
}
