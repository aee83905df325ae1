/**
 * `npm run train-demo`: trains the demo fraud model versions named in
 * `mlwatch.yaml` on synthetic payments, and the spend model's on synthetic
 * cards (`spend-demo.ts`), and writes their artifacts and drift reference samples. Seeds are fixed, so re-running it rewrites the
 * committed files byte for byte.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import type { FeatureValue } from '../../../spec/src/model-types';
import type { LogisticArtifact } from '../../../exporter/src/model/logistic-model';
import { packageRoot } from '../package-root';
import { FRAUD_FEATURES, generateFraudRows } from './fraud-dataset';
import type { DemoFile } from './demo-file';
import { SPEND_MODEL, buildSpendFiles } from './spend-demo';
import { roundSignificant, trainLogistic, type LabelledRow } from './train-logistic';

/** The spec file at the repo root; finding it is how the script finds the root. */
const SPEC_FILE = 'mlwatch.yaml';
const DEMO_MODEL = 'fraud';

/** Seeds of the three independent samples: training, metric holdout and drift reference. */
export const TRAIN_SEED = 1;
export const HOLDOUT_SEED = 2;
export const REFERENCE_SEED = 3;
export const TRAIN_ROWS = 20_000;
export const HOLDOUT_ROWS = 5_000;
export const REFERENCE_ROWS = 5_000;
/** Generous: the descent stops far earlier, once the gradient is flat. */
const MAX_EPOCHS = 20_000;

/** How each demo version differs: v2 is a deliberately weaker canary. */
export interface VersionRecipe {
  /** Features the version does not see. */
  drop: readonly string[];
  /** L2 penalty on standardised weights. */
  lambda: number;
}

export const DEMO_RECIPES: Readonly<Record<string, VersionRecipe>> = {
  v1: { drop: [], lambda: 1e-3 },
  // Blind to the time of day and the device, and heavily shrunk: measurably worse than v1.
  v2: { drop: ['hour_of_day', 'device_type'], lambda: 0.05 },
};

export type { DemoFile } from './demo-file';

/** Builds every demo artifact for the fraud model of a loaded spec, without touching the disk. */
export function buildDemoFiles(model: ModelSpec): DemoFile[] {
  checkFeatures(model.features);
  const classes = binaryClasses(model);
  const train = generateFraudRows(TRAIN_ROWS, TRAIN_SEED);
  const holdout = generateFraudRows(HOLDOUT_ROWS, HOLDOUT_SEED);
  const files: DemoFile[] = [];
  for (const version of model.versions) {
    const recipe = DEMO_RECIPES[version.name];
    if (recipe === undefined || version.artifact === undefined) continue;
    const artifact = trainLogistic(train, holdout, {
      model: model.name,
      version: version.name,
      classes,
      features: model.features.filter((feature) => !recipe.drop.includes(feature.name)),
      lambda: recipe.lambda,
      maxEpochs: MAX_EPOCHS,
      seed: TRAIN_SEED,
      holdoutSeed: HOLDOUT_SEED,
    });
    files.push({
      path: version.artifact,
      content: `${JSON.stringify(artifact, null, 2)}\n`,
      summary: describeArtifact(artifact),
    });
  }
  if (model.reference !== undefined) {
    const rows = generateFraudRows(REFERENCE_ROWS, REFERENCE_SEED);
    files.push({
      path: model.reference,
      content: referenceCsv(rows),
      summary: `${rows.length} reference rows (seed ${REFERENCE_SEED})`,
    });
  }
  return files;
}

/** CSV of the feature columns in spec order (no label); a missing value is an empty cell. */
export function referenceCsv(rows: readonly LabelledRow[]): string {
  const lines = [FRAUD_FEATURES.join(',')];
  for (const row of rows) {
    lines.push(FRAUD_FEATURES.map((name) => csvCell(row.features[name])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const loaded = loadSpec(path.join(packageRoot(), SPEC_FILE));
  const modelNamed = (name: string): ModelSpec => {
    const model = loaded.spec.models.find((m) => m.name === name);
    if (model === undefined) throw new Error(`${loaded.file}: no model named "${name}"`);
    return model;
  };
  const files = [...buildDemoFiles(modelNamed(DEMO_MODEL)), ...buildSpendFiles(modelNamed(SPEND_MODEL))];
  for (const file of files) {
    const target = loaded.resolve(file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(`${file.path}: ${file.summary}`);
  }
}

function describeArtifact(artifact: LogisticArtifact): string {
  const { holdout, lambda, epochs } = artifact.trained;
  const baseline = holdout.positive_rate === undefined ? 'unknown' : roundSignificant(1 - holdout.positive_rate, 6);
  return (
    `${artifact.model} ${artifact.version}, ${artifact.features.length} features, lambda ${lambda}, ${epochs} epochs; ` +
    `holdout accuracy ${holdout.accuracy} (majority baseline ${baseline}), log-loss ${holdout.log_loss}, AUC ${holdout.auc}`
  );
}

/** The demo data generator and the spec must agree on the features, or the artifacts would be wrong. */
function checkFeatures(features: readonly FeatureSpec[]): void {
  const names = features.map((feature) => feature.name);
  if (names.join(',') !== FRAUD_FEATURES.join(',')) {
    throw new Error(
      `the spec's ${DEMO_MODEL} features [${names.join(', ')}] differ from the demo data's [${FRAUD_FEATURES.join(', ')}]`,
    );
  }
}

function binaryClasses(model: ModelSpec): [string, string] {
  const [negative, positive, ...rest] = model.classes ?? [];
  if (negative === undefined || positive === undefined || rest.length > 0) {
    throw new Error(`the demo trains binary models; ${model.name} has classes [${(model.classes ?? []).join(', ')}]`);
  }
  return [negative, positive];
}

function csvCell(value: FeatureValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

if (require.main === module) main();
