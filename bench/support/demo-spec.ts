import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadSpec } from '../../spec/src/load-spec';
import { loadReferenceRows } from '../../cli/src/simulator/reference-rows';

/** Predict bodies per run: enough rows that the model sees varied inputs, few enough to load instantly. */
const PREDICT_BODY_COUNT = 500;

/** What the predict-overhead figure needs from the worked example. */
export interface DemoSpecCopy {
  /** The copied spec, with absolute paths and the log file in the temp dir. */
  specFile: string;
  /** Absolute paths of the v1 and v2 artifacts. */
  artifacts: { v1: string; v2: string };
  /** Name of the model the predict route serves. */
  model: string;
  /** Share of served predictions the copy logs. */
  predictSampleRate: number;
}

type Yaml = Record<string, unknown>;

/**
 * Copies the repo's mlwatch.yaml into `dir` with `reference` and every `artifact`
 * made absolute and `logging.file` pointing into `dir`; sampling and stdout logging stay as written.
 */
export function writeDemoSpecCopy(
  repoRoot: string,
  dir: string,
  overrides: { predictSampleRate?: number } = {},
): DemoSpecCopy {
  mkdirSync(dir, { recursive: true });
  const source = path.join(repoRoot, 'mlwatch.yaml');
  const doc = yaml.load(readFileSync(source, 'utf8')) as Yaml;
  const absolute = (relative: string): string => path.resolve(repoRoot, relative);
  const logging = (doc['logging'] ?? {}) as Yaml;
  doc['logging'] = { ...logging, file: path.join(dir, 'logs', 'predictions.jsonl') };
  if (overrides.predictSampleRate !== undefined) {
    const sampleRate = (logging['sample_rate'] ?? {}) as Yaml;
    (doc['logging'] as Yaml)['sample_rate'] = { ...sampleRate, predict: overrides.predictSampleRate };
  }
  const models = doc['models'] as Yaml[];
  for (const model of models) {
    if (typeof model['reference'] === 'string') model['reference'] = absolute(model['reference']);
    for (const version of model['versions'] as Yaml[]) {
      if (typeof version['artifact'] === 'string') version['artifact'] = absolute(version['artifact']);
    }
  }
  const specFile = path.join(dir, 'mlwatch.yaml');
  writeFileSync(
    specFile,
    `# Copy of ${source} for bench/http-bench.ts; paths made absolute.\n${yaml.dump(doc, { lineWidth: 200 })}`,
  );

  // Loading the copy here fails fast, with the spec's own error messages, before any process starts.
  const { spec } = loadSpec(specFile);
  const first = spec.models[0];
  const v1 = first?.versions.find((v) => v.name === 'v1')?.artifact;
  const v2 = first?.versions.find((v) => v.name === 'v2')?.artifact;
  if (first === undefined || v1 === undefined || v2 === undefined) {
    throw new Error(`${source}: expected the first model to have versions v1 and v2 with artifacts`);
  }
  return { specFile, artifacts: { v1, v2 }, model: first.name, predictSampleRate: spec.logging.sample_rate.predict };
}

/** Predict request bodies (`{"features": {...}}`), one JSON text each, from the model's reference sample. */
export function demoPredictBodies(specFile: string): string[] {
  const loaded = loadSpec(specFile);
  const model = loaded.spec.models[0];
  if (model?.reference === undefined)
    throw new Error(`${specFile}: the first model has no reference sample to draw predict inputs from`);
  const { rows } = loadReferenceRows(loaded.resolve(model.reference), model.features);
  return rows.slice(0, PREDICT_BODY_COUNT).map((features) => JSON.stringify({ features }));
}
