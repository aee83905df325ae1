/**
 * The soak's workload on the worked example: a copy of mlwatch.yaml made for a long run
 * (stdout log off, the file log in the temp dir, drift evaluated every few seconds, tokens on
 * both scopes), predict bodies from the reference sample, and ingest batches of events a
 * model server would report, scored with the demo's own artifacts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { loadSpec } from '../../spec/src/load-spec';
import type { ClassPredictor, FeatureRow } from '../../spec/src/model-types';
import { loadLogisticModel } from '../../exporter/src/model/logistic-model';
import { loadReferenceRows } from '../../cli/src/simulator/reference-rows';
import { writeDemoSpecCopy } from './demo-spec';

type Yaml = Record<string, unknown>;

/** Rows of the reference sample the events cycle through. */
const ROW_COUNT = 2000;
/** Share of ingested events reported by v1, as in mlwatch.yaml's split. */
const V1_SHARE = 0.9;

/** Everything the soak sends and where. */
export interface SoakWorkload {
  specFile: string;
  model: string;
  /** Bearer tokens the server is started with (as env) and the client sends. */
  tokens: { write: string; read: string };
  /** Environment for the server process: the tokens. */
  serverEnv: Record<string, string>;
  /** Predict request bodies, JSON texts. */
  predictBodies: readonly string[];
  /** The JSON body of the next ingest batch: `size` events with fresh ids and the current time. */
  nextBatch(size: number): string;
}

/** Writes the soak's spec copy into `dir` and prepares its request bodies. */
export function prepareSoakWorkload(repoRoot: string, dir: string, evaluationIntervalSeconds: number): SoakWorkload {
  const copy = writeDemoSpecCopy(repoRoot, dir);
  const doc = yaml.load(readFileSync(copy.specFile, 'utf8')) as Yaml;
  // Stdout off: nothing reads the pipe in a soak, and the file log is the production path.
  doc['logging'] = { ...((doc['logging'] ?? {}) as Yaml), stdout: false };
  doc['drift'] = { ...((doc['drift'] ?? {}) as Yaml), evaluation_interval_seconds: evaluationIntervalSeconds };
  writeFileSync(
    copy.specFile,
    `# Copy of mlwatch.yaml for bench/soak-bench.ts: stdout log off, drift evaluated every ${evaluationIntervalSeconds} s.\n` +
      yaml.dump(doc, { lineWidth: 200 }),
  );
  const loaded = loadSpec(copy.specFile);
  const model = loaded.spec.models.find((m) => m.name === copy.model);
  if (model?.reference === undefined) throw new Error(`${copy.specFile}: model ${copy.model} has no reference sample`);
  const rows = loadReferenceRows(loaded.resolve(model.reference), model.features).rows.slice(0, ROW_COUNT);
  const tokens = { write: randomBytes(24).toString('hex'), read: randomBytes(24).toString('hex') };
  return {
    specFile: copy.specFile,
    model: copy.model,
    tokens,
    serverEnv: { MLWATCH_WRITE_TOKEN: tokens.write, MLWATCH_READ_TOKEN: tokens.read },
    predictBodies: rows.slice(0, 500).map((features) => JSON.stringify({ features })),
    nextBatch: batchMaker(rows, loadLogisticModel(copy.artifacts.v1), loadLogisticModel(copy.artifacts.v2)),
  };
}

/** Scores every row once with both versions, then cycles through them with fresh ids and timestamps. */
function batchMaker(rows: readonly FeatureRow[], v1: ClassPredictor, v2: ClassPredictor): (size: number) => string {
  const scored = rows.map((features, i) => {
    // A fixed, even spread of versions, so every batch has the same mix.
    const predictor = (i * 7919) % 100 < V1_SHARE * 100 ? v1 : v2;
    const p = predictor.predict(features);
    return {
      model: predictor.model,
      version: predictor.version,
      features,
      status: 'success',
      prediction: p.label,
      confidence: p.confidence,
      probabilities: p.probabilities,
      latency_ms: 2 + (i % 17) * 0.25,
    };
  });
  let next = 0;
  let sequence = 0;
  return (size) => {
    const timestamp = new Date().toISOString();
    const events = [];
    for (let i = 0; i < size; i++) {
      const base = scored[next] as (typeof scored)[number];
      next = (next + 1) % scored.length;
      events.push({ prediction_id: `soak-${sequence++}`, ...base, timestamp });
    }
    return JSON.stringify({ events });
  };
}
