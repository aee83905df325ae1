/**
 * The demo spend model (regression): EUR a card will spend over the next 7 days, trained by
 * `npm run train-demo` next to the fraud classifier. Builds its `mlwatch.linear/1` artifacts and
 * its reference sample (features, the served version's `prediction`, and the true `label`).
 */
import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import type { FeatureValue } from '../../../spec/src/model-types';
import { LinearModel, type LinearArtifact } from '../../../exporter/src/model/linear-model';
import { SPEND_FEATURES, generateSpendRows } from './spend-dataset';
import { trainLinear, type TargetRow } from './train-linear';
import type { DemoFile } from './demo-file';

/** The spend model's name in `mlwatch.yaml`. */
export const SPEND_MODEL = 'spend';
/** Seeds of the spend model's training, holdout and reference samples (apart from the fraud model's). */
export const SPEND_TRAIN_SEED = 11;
export const SPEND_HOLDOUT_SEED = 12;
export const SPEND_REFERENCE_SEED = 13;
export const SPEND_TRAIN_ROWS = 20_000;
export const SPEND_HOLDOUT_ROWS = 5_000;
export const SPEND_REFERENCE_ROWS = 5_000;
/** Columns of the reference CSV after the features. */
export const SPEND_OUTPUT_COLUMNS = ['prediction', 'label'] as const;

/** How each spend version is trained. */
export const SPEND_RECIPES: Readonly<Record<string, { drop: readonly string[]; lambda: number }>> = {
  v1: { drop: [], lambda: 1e-3 },
};

/** Builds the spend model's artifacts and reference sample, without touching the disk. */
export function buildSpendFiles(model: ModelSpec): DemoFile[] {
  checkFeatures(model.features);
  const train = generateSpendRows(SPEND_TRAIN_ROWS, SPEND_TRAIN_SEED);
  const holdout = generateSpendRows(SPEND_HOLDOUT_ROWS, SPEND_HOLDOUT_SEED);
  const files: DemoFile[] = [];
  const artifacts: LinearArtifact[] = [];
  for (const version of model.versions) {
    const recipe = SPEND_RECIPES[version.name];
    if (recipe === undefined || version.artifact === undefined) continue;
    const artifact = trainLinear(train, holdout, {
      model: model.name,
      version: version.name,
      target: 'EUR spent by the card over the next 7 days',
      minOutput: 0,
      features: model.features.filter((feature) => !recipe.drop.includes(feature.name)),
      lambda: recipe.lambda,
      seed: SPEND_TRAIN_SEED,
      holdoutSeed: SPEND_HOLDOUT_SEED,
    });
    artifacts.push(artifact);
    files.push({
      path: version.artifact,
      content: `${JSON.stringify(artifact, null, 2)}\n`,
      summary: describeArtifact(artifact),
    });
  }
  const served = artifacts[0];
  if (model.reference !== undefined && served !== undefined) {
    const rows = generateSpendRows(SPEND_REFERENCE_ROWS, SPEND_REFERENCE_SEED);
    files.push({
      path: model.reference,
      content: spendReferenceCsv(rows, new LinearModel(served)),
      summary: `${rows.length} reference rows (seed ${SPEND_REFERENCE_SEED}) with ${served.version}'s prediction and the true label`,
    });
  }
  return files;
}

/** CSV of the feature columns in spec order, the model's prediction and the true spend, both in cents. */
export function spendReferenceCsv(rows: readonly TargetRow[], model: LinearModel): string {
  const lines = [[...SPEND_FEATURES, ...SPEND_OUTPUT_COLUMNS].join(',')];
  for (const row of rows) {
    const cells = SPEND_FEATURES.map((name) => csvCell(row.features[name]));
    cells.push(String(cents(model.value(row.features))), String(row.label));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function describeArtifact(artifact: LinearArtifact): string {
  const { holdout, lambda } = artifact.trained;
  return (
    `${artifact.model} ${artifact.version}, ${artifact.features.length} features, lambda ${lambda}; ` +
    `holdout MAE ${holdout.mae} EUR, RMSE ${holdout.rmse} EUR, R² ${holdout.r2}`
  );
}

/** The demo data generator and the spec must agree on the features, or the artifacts would be wrong. */
function checkFeatures(features: readonly FeatureSpec[]): void {
  const names = features.map((feature) => feature.name);
  if (names.join(',') !== SPEND_FEATURES.join(',')) {
    throw new Error(
      `the spec's ${SPEND_MODEL} features [${names.join(', ')}] differ from the demo data's [${SPEND_FEATURES.join(', ')}]`,
    );
  }
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

function csvCell(value: FeatureValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
