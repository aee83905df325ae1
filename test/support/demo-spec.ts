import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { packageRoot } from '../../cli/src/package-root';
import { parseSpec, type LoadedSpec } from '../../spec/src/load-spec';
import { arrayAt, objectAt, type Doc } from './document';

/** Repository root, where mlwatch.yaml and the demo artifacts live. */
export const REPO_ROOT = packageRoot(__dirname);

/**
 * Writes a copy of the demo spec into a fresh temp dir, with artifact and reference paths
 * made absolute and the prediction log pointed into that dir; `edit` may change it further.
 */
export function writeDemoSpec(edit: (spec: Doc) => void = () => undefined): {
  file: string;
  dir: string;
  logFile: string;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-test-'));
  const spec = readDemoSpec();
  for (const model of arrayAt(spec, 'models').map((m) => objectAt(m))) {
    if (typeof model['reference'] === 'string') model['reference'] = path.join(REPO_ROOT, model['reference']);
    for (const version of arrayAt(model, 'versions').map((v) => objectAt(v))) {
      if (typeof version['artifact'] === 'string') version['artifact'] = path.join(REPO_ROOT, version['artifact']);
    }
  }
  const logFile = path.join(dir, 'predictions.jsonl');
  // Tests read the log line of the prediction they made, so every served prediction is logged.
  spec['logging'] = {
    ...(spec['logging'] as object),
    file: logFile,
    stdout: false,
    sample_rate: { predict: 1, ingest: 0.01 },
  };
  edit(spec);
  const file = path.join(dir, 'mlwatch.yaml');
  writeFileSync(file, yaml.dump(spec));
  return { file, dir, logFile };
}

/** A valid feature row for the demo fraud model. */
export function demoFeatures(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 42.5,
    avg_amount_30d: 55.1,
    transactions_24h: 3,
    account_age_days: 800,
    distance_from_home_km: 4.2,
    hour_of_day: 14,
    credit_score: 710,
    merchant_category: 'grocery',
    payment_method: 'chip',
    device_type: 'pos_terminal',
    ...overrides,
  };
}

/** The repository's mlwatch.yaml, edited in memory and validated, with paths still resolving against the repository. */
export function loadEditedDemoSpec(edit: (spec: Doc) => void = () => undefined): LoadedSpec {
  const spec = readDemoSpec();
  edit(spec);
  return parseSpec(yaml.dump(spec), path.join(REPO_ROOT, 'mlwatch.yaml'));
}

/** The repository's mlwatch.yaml as a document to edit. */
export function readDemoSpec(): Doc {
  return objectAt(yaml.load(readFileSync(path.join(REPO_ROOT, 'mlwatch.yaml'), 'utf8')));
}

/** The demo's regression model (with a quality section), next to the fraud classifier. */
export const DEMO_SPEND_MODEL = 'spend';

/** The model `name` of a spec document, to read or edit; throws naming it when there is none. */
export function modelNamed(spec: Doc, name: string): Doc {
  const model = arrayAt(spec, 'models')
    .map((m) => objectAt(m))
    .find((m) => m['name'] === name);
  if (model === undefined) throw new Error(`the spec has no model named ${name}`);
  return model;
}

/** Removes the model `name` from a spec document; throws when there is none, so a renamed demo model is noticed. */
export function removeModel(spec: Doc, name: string): void {
  const models = arrayAt(spec, 'models');
  models.splice(models.indexOf(modelNamed(spec, name)), 1);
}

/** Deletes the quality section of every model of a spec document: no model takes labels. */
export function removeAllQuality(spec: Doc): void {
  for (const model of arrayAt(spec, 'models')) delete objectAt(model)['quality'];
}

/** Deletes the quality and outcomes sections of every model: nothing joins to predictions (no join store). */
export function removeAllJoins(spec: Doc): void {
  for (const model of arrayAt(spec, 'models')) {
    delete objectAt(model)['quality'];
    delete objectAt(model)['outcomes'];
  }
}
