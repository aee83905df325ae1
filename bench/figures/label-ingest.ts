/**
 * Labels figure 3: label and outcome ingest end to end. The real exporter (`servers/full-exporter.ts`,
 * pinned to one core) on a one-model spec (binary, `quality: {}`, one outcome event `checkout` with
 * a value) with `joins.store` memory or redis; each run on a fresh server first ingests the
 * predictions through `POST /v1/events/predictions`, then posts one label per prediction to
 * `POST /v1/events/labels`, then one outcome per prediction to `POST /v1/events/outcomes`, in
 * bodies of 1000 over a few keep-alive connections. The figures are labels/s and outcomes/s over
 * the timed bodies, median of the runs; the server's CPU seconds give events per CPU-second beside
 * them. Outcomes have no target of their own: they are measured beside labels, by the same method.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { Redis } from 'ioredis';
import { loadSpec } from '../../spec/src/load-spec';
import { METRICS } from '../../spec/src/conventions';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { median } from '../support/median';
import { processCpuSeconds } from '../support/process-cpu';
import { num, row, verdict } from '../support/report';

export const MEMORY_LABELS_TARGET = 200_000;
export const REDIS_LABELS_TARGET = 50_000;
const ROUTE = '/v1/events/labels';
const OUTCOME_ROUTE = '/v1/events/outcomes';
const OUTCOME_EVENT = 'checkout';
const MODEL = 'fraud';
const CLASSES = ['legit', 'fraud'] as const;
/** Events per request body, predictions and labels alike. */
const BATCH = 1000;
/** Label bodies sent untimed first on every fresh server, so the JIT has settled. */
const WARMUP_BODIES = 50;
/** Timed bodies per route and run, unless the options say fewer (a quick check). */
const TIMED_BODIES = 400;
const CONNECTIONS = 4;

export type StoreKind = 'memory' | 'redis';

export interface LabelIngestOptions {
  tmpDir: string;
  serversDir: string;
  serverCpu: number;
  runs: number;
  /** The Redis the redis side's exporter uses; flushed before each of its runs. */
  redisUrl: string;
  /** Timed bodies of 1000 per route and run; default 400. */
  timedBodies?: number;
}

export interface LabelIngestResult {
  /** False when the exporter has no label route yet (404): nothing was measured. */
  available: boolean;
  memoryPerSecond: number;
  redisPerSecond: number;
  memoryPass: boolean;
  redisPass: boolean;
  /** Outcomes/s of each store (0 when the exporter has no outcome route). */
  memoryOutcomesPerSecond: number;
  redisOutcomesPerSecond: number;
}

interface Run {
  labelsPerSecond: number;
  labelsPerCpuSecond: number;
  /** NaN when the exporter has no outcome route. */
  outcomesPerSecond: number;
  outcomesPerCpuSecond: number;
  predictionsPerSecond: number;
}

/** Runs the figure, sides in turn; throws when a response is an error or the labels were not joined. */
export async function runLabelIngest(options: LabelIngestOptions): Promise<LabelIngestResult> {
  const timedBodies = options.timedBodies ?? TIMED_BODIES;
  console.log(
    `\nFigure 3 — label and outcome ingest over HTTP: POST ${ROUTE} then POST ${OUTCOME_ROUTE}, bodies of ${num(BATCH)} events for a binary model, ` +
      `${CONNECTIONS} connections, ${num(timedBodies * BATCH)} events timed per route and run after ${num(WARMUP_BODIES * BATCH)} untimed, ` +
      `each event's prediction ingested first; server on CPU ${options.serverCpu}; ${options.runs} runs per store, medians`,
  );
  const bodies = buildBodies(timedBodies);
  const runs: Record<StoreKind, Run[]> = { memory: [], redis: [] };
  console.log(
    `  ${row([
      ['store', -7],
      ['run', -4],
      ['labels/s', 10],
      ['labels/CPU-s', 13],
      ['outcomes/s', 11],
      ['outcomes/CPU-s', 15],
      ['predictions/s (ingest before)', 30],
    ])}`,
  );
  for (let run = 0; run < options.runs; run++) {
    for (const store of ['memory', 'redis'] as const) {
      const result = await oneRun(options, store, bodies);
      if (result === undefined) {
        console.log(
          `  route not available: POST ${ROUTE} answered 404 on this build (the label route is not merged); figure 3 skipped`,
        );
        return {
          available: false,
          memoryPerSecond: 0,
          redisPerSecond: 0,
          memoryPass: false,
          redisPass: false,
          memoryOutcomesPerSecond: 0,
          redisOutcomesPerSecond: 0,
        };
      }
      runs[store].push(result);
      console.log(
        `  ${row([
          [store, -7],
          [String(run + 1), -4],
          [num(result.labelsPerSecond), 10],
          [num(result.labelsPerCpuSecond), 13],
          [Number.isNaN(result.outcomesPerSecond) ? '-' : num(result.outcomesPerSecond), 11],
          [Number.isNaN(result.outcomesPerCpuSecond) ? '-' : num(result.outcomesPerCpuSecond), 15],
          [num(result.predictionsPerSecond), 30],
        ])}`,
      );
    }
  }
  const memoryPerSecond = median(runs.memory.map((r) => r.labelsPerSecond));
  const redisPerSecond = median(runs.redis.map((r) => r.labelsPerSecond));
  const memoryPass = memoryPerSecond >= MEMORY_LABELS_TARGET;
  const redisPass = redisPerSecond >= REDIS_LABELS_TARGET;
  console.log(
    `  median memory: ${num(memoryPerSecond)} labels/s (${num(median(runs.memory.map((r) => r.labelsPerCpuSecond)))} per CPU-s)   ` +
      verdict(num(memoryPerSecond), num(MEMORY_LABELS_TARGET), memoryPass),
  );
  console.log(
    `  median Redis:  ${num(redisPerSecond)} labels/s (${num(median(runs.redis.map((r) => r.labelsPerCpuSecond)))} per CPU-s; ` +
      `${num(redisPerSecond / memoryPerSecond, 2)} of memory)   ` +
      verdict(num(redisPerSecond), num(REDIS_LABELS_TARGET), redisPass),
  );
  const memoryOutcomesPerSecond = median(runs.memory.map((r) => r.outcomesPerSecond));
  const redisOutcomesPerSecond = median(runs.redis.map((r) => r.outcomesPerSecond));
  if (Number.isNaN(memoryOutcomesPerSecond))
    console.log(`  outcomes: POST ${OUTCOME_ROUTE} answered 404 on this build (not measured)`);
  else
    console.log(
      `  median outcomes: memory ${num(memoryOutcomesPerSecond)}/s (${num(memoryOutcomesPerSecond / memoryPerSecond, 2)} of labels), ` +
        `Redis ${num(redisOutcomesPerSecond)}/s (${num(redisOutcomesPerSecond / redisPerSecond, 2)} of labels); no target, beside labels`,
    );
  return {
    available: true,
    memoryPerSecond,
    redisPerSecond,
    memoryPass,
    redisPass,
    memoryOutcomesPerSecond: Number.isNaN(memoryOutcomesPerSecond) ? 0 : memoryOutcomesPerSecond,
    redisOutcomesPerSecond: Number.isNaN(redisOutcomesPerSecond) ? 0 : redisOutcomesPerSecond,
  };
}

interface Bodies {
  /** Predictions ingested before the events, one per id. */
  count: number;
  predictions: string[];
  warmupLabels: string[];
  timedLabels: string[];
  warmupOutcomes: string[];
  timedOutcomes: string[];
}

/** The prediction, label and outcome bodies: one of each per id, ids fresh for each server. */
function buildBodies(timedBodies: number): Bodies {
  const time = new Date().toISOString();
  const predictions: string[] = [];
  const labels: string[] = [];
  const outcomes: string[] = [];
  for (let body = 0; body < WARMUP_BODIES + timedBodies; body++) {
    const predicted: object[] = [];
    const labelled: object[] = [];
    const converted: object[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = body * BATCH + i;
      const id = `bench-${n.toString(36).padStart(8, '0')}-${((n * 2_654_435_761) >>> 0).toString(16)}`;
      const fraud = n % 7 === 0;
      predicted.push({
        prediction_id: id,
        model: MODEL,
        version: 'v1',
        features: { amount: 10 + (n % 997), country: n % 3 === 0 ? 'de' : 'fr' },
        prediction: fraud ? CLASSES[1] : CLASSES[0],
        confidence: 0.6 + (n % 40) / 100,
        timestamp: time,
      });
      // One label in five disagrees with its prediction: a realistic confusion matrix, not a diagonal.
      labelled.push({ prediction_id: id, label: (n % 5 === 0) !== fraud ? CLASSES[1] : CLASSES[0] });
      converted.push({ prediction_id: id, event: OUTCOME_EVENT, value: 5 + (n % 200) / 4 });
    }
    predictions.push(JSON.stringify({ events: predicted }));
    labels.push(JSON.stringify({ events: labelled }));
    outcomes.push(JSON.stringify({ events: converted }));
  }
  return {
    count: (WARMUP_BODIES + timedBodies) * BATCH,
    predictions,
    warmupLabels: labels.slice(0, WARMUP_BODIES),
    timedLabels: labels.slice(WARMUP_BODIES),
    warmupOutcomes: outcomes.slice(0, WARMUP_BODIES),
    timedOutcomes: outcomes.slice(WARMUP_BODIES),
  };
}

/** Writes the spec of one side and checks that it loads. */
function writeSpec(dir: string, store: StoreKind, redisUrl: string, predictions: number): string {
  const spec = {
    service: { name: 'bench-labels', description: 'Label ingest benchmark (bench/labels-bench.ts).' },
    exporter: {
      port: 9420,
      max_batch_events: BATCH,
      max_body_bytes: 16 * 1024 * 1024,
      recent_ids: { capacity: predictions },
    },
    logging: {
      file: path.join(dir, 'logs', `labels-${store}.jsonl`),
      stdout: false,
      sample_rate: { predict: 1.0, ingest: 0.01 },
      redact: [],
    },
    joins: {
      store,
      capacity: predictions,
      ...(store === 'redis' ? { redis: { url: redisUrl, key_prefix: 'mlwatch-bench:' } } : {}),
    },
    models: [
      {
        name: MODEL,
        description: 'Probability that a payment is fraudulent (benchmark).',
        task: 'binary_classification',
        classes: [...CLASSES],
        versions: [{ name: 'v1', weight: 1 }],
        features: [
          { name: 'amount', type: 'numeric' },
          { name: 'country', type: 'categorical', categories: ['de', 'fr'] },
        ],
        quality: {},
        outcomes: { events: { [OUTCOME_EVENT]: { value: true, currency: 'EUR' } } },
      },
    ],
    slo: { latency_target_seconds: 0.25, latency_objective_percent: 99, availability_objective_percent: 99.9 },
    alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.75, rejected_events_per_second: 1 },
  };
  const file = path.join(dir, `labels-${store}.yaml`);
  writeFileSync(file, `# Generated by bench/figures/label-ingest.ts.\n${yaml.dump(spec, { lineWidth: 200 })}`);
  loadSpec(file);
  return file;
}

/** One run on a fresh server; undefined when the label route answers 404. */
async function oneRun(options: LabelIngestOptions, store: StoreKind, bodies: Bodies): Promise<Run | undefined> {
  const specFile = writeSpec(options.tmpDir, store, options.redisUrl, bodies.count);
  if (store === 'redis') await flushRedis(options.redisUrl);
  const port = await freePort();
  const server = await startChildServer({
    name: `full exporter (labels, ${store} store)`,
    script: path.join(options.serversDir, 'full-exporter.js'),
    args: [specFile, String(port)],
    port,
    cpu: options.serverCpu,
  });
  try {
    const probe = await post(
      server,
      ROUTE,
      JSON.stringify({ events: [{ prediction_id: 'probe', label: CLASSES[0] }] }),
    );
    if (probe.status === 404) return undefined;
    checkOk(probe, 'the probe label');

    const ingestStarted = performance.now();
    await postAll(server, '/v1/events/predictions', bodies.predictions, (response) => {
      checkOk(response, 'a prediction batch');
      const accepted = (JSON.parse(response.text) as { accepted?: unknown }).accepted;
      if (accepted !== BATCH)
        throw new Error(`a prediction batch was not accepted whole: ${response.text.slice(0, 300)}`);
    });
    const predictionsPerSecond = bodies.count / ((performance.now() - ingestStarted) / 1000);
    if (store === 'redis') await waitForRedisKeys(options.redisUrl, bodies.count);

    const labels = await timeRoute(server, ROUTE, bodies.warmupLabels, bodies.timedLabels);
    await checkJoined(server, METRICS.labelEventsTotal, bodies.count, `${store} store: labels`);
    const outcomeProbe = await post(server, OUTCOME_ROUTE, JSON.stringify({ events: [] }));
    let outcomes = { perSecond: Number.NaN, perCpuSecond: Number.NaN };
    if (outcomeProbe.status !== 404) {
      outcomes = await timeRoute(server, OUTCOME_ROUTE, bodies.warmupOutcomes, bodies.timedOutcomes);
      await checkJoined(server, METRICS.outcomeEventsTotal, bodies.count, `${store} store: outcomes`);
    }
    return {
      labelsPerSecond: labels.perSecond,
      labelsPerCpuSecond: labels.perCpuSecond,
      outcomesPerSecond: outcomes.perSecond,
      outcomesPerCpuSecond: outcomes.perCpuSecond,
      predictionsPerSecond,
    };
  } finally {
    await server.stop();
  }
}

interface Response {
  status: number;
  text: string;
}

async function post(server: ChildServer, route: string, body: string): Promise<Response> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Posts every body over CONNECTIONS concurrent streams of requests; `check` throws on a bad answer. */
async function postAll(
  server: ChildServer,
  route: string,
  bodies: readonly string[],
  check: (response: Response) => void,
): Promise<void> {
  let next = 0;
  const stream = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      check(await post(server, route, body));
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, stream));
}

function checkOk(response: Response, what: string): void {
  if (response.status < 200 || response.status > 299)
    throw new Error(`${what} answered ${response.status}: ${response.text.slice(0, 300)}`);
}

/** Posts the warm-up bodies untimed, then the timed ones: events/s and events per server CPU-second of the timed ones. */
async function timeRoute(
  server: ChildServer,
  route: string,
  warmup: readonly string[],
  timed: readonly string[],
): Promise<{ perSecond: number; perCpuSecond: number }> {
  const what = `a batch to ${route}`;
  await postAll(server, route, warmup, (response) => checkOk(response, what));
  const cpuBefore = processCpuSeconds(server.pid);
  const started = performance.now();
  await postAll(server, route, timed, (response) => checkOk(response, what));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = processCpuSeconds(server.pid) - cpuBefore;
  const events = timed.length * BATCH;
  return { perSecond: events / seconds, perCpuSecond: events / cpuSeconds };
}

/** Throws unless `metric{result="joined"}` counts `expected` events (every one joined): else the run measured something else. */
async function checkJoined(server: ChildServer, metric: string, expected: number, what: string): Promise<void> {
  const joined = await joinedCount(server, metric);
  if (joined !== undefined && joined !== expected)
    throw new Error(`${what}: ${joined} joined, expected ${expected}; the run measured something else`);
}

/** `metric{result="joined"}` from /metrics, or undefined (with a warning) when it is not exposed. */
async function joinedCount(server: ChildServer, metric: string): Promise<number | undefined> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const prefix = `${metric}{`;
  let joined: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix) && line.includes('result="joined"'))
      joined = (joined ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  if (joined === undefined) console.log(`  warning: /metrics has no ${metric}{result="joined"}: joins not checked`);
  return joined;
}

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function flushRedis(url: string): Promise<void> {
  await withRedis(url, (redis) => redis.flushall());
}

/**
 * Waits until Redis holds the ingested predictions (their writes are pipelined in the background);
 * throws when it never does, e.g. when the exporter does not use Redis for `joins.store: redis`.
 */
async function waitForRedisKeys(url: string, expected: number): Promise<void> {
  await withRedis(url, async (redis) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const keys = await redis.dbsize();
      if (keys >= expected) return;
      if (Date.now() > deadline)
        throw new Error(
          `Redis holds ${keys} keys 10 s after ${expected} predictions were ingested: is joins.store redis wired into the exporter?`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}
