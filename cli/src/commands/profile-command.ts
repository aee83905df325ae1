import { parseArgs } from 'node:util';
import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import {
  DEFAULT_SAMPLE_LIMIT,
  buildProfile,
  pickReferencePredictor,
  type OutputSource,
} from '../../../drift/src/profile/build-profile';
import { writeProfile } from '../../../drift/src/profile/profile-file';
import { ALL_VERSIONS, type CalibrationOutcome } from '../../../drift/src/profile/calibration-columns';
import { MIN_CALIBRATION_ROWS } from '../../../drift/src/quality/fit-calibration';
import type { FeatureProfile, ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { UsageError, type Command } from '../command';

/** Categories shown per categorical feature in the summary. */
const TOP_CATEGORIES = 3;

/** `mlwatch profile`: writes a model's reference profile from a training sample. */
export const profileCommand: Command = {
  name: 'profile',
  summary: 'build a reference profile (JSON) from a CSV or JSONL training sample',
  usage: `Usage: mlwatch profile <reference.csv|jsonl> --out <file> [--model <name>]
       [--config mlwatch.yaml] [--sample-limit ${DEFAULT_SAMPLE_LIMIT}]

Reads a sample of the model's inputs (CSV with a header, or JSONL) and writes the
reference profile the drift engine compares live traffic with: per numeric feature
the deciles, the share of values between them, mean, std and an ascending sample of
at most --sample-limit values; per categorical feature the count of each category.
Model outputs come from "prediction" and "confidence" columns when the file has
them, otherwise from scoring every row with the model's highest-weight version.
A classifier's file with a "label" column and the model's probabilities (one
"proba_<class>" column per class, or for a binary model "confidence" of the class
in "prediction") also gets a calibration map: isotonic per class, fitted on four
rows in five and checked on every fifth (expected calibration error), per
"version" when the file has that column. The exporter applies it to estimate
performance while labels lag; without it, it uses the raw probabilities.
--model may be left out when the spec has one model. Point the model's "reference"
in the spec at the written file to have the exporter load it at start.
Exit code 0 when written, 1 when the file or spec is bad, 2 on bad usage.`,
  async run(args) {
    const options = readOptions(args);
    let loaded: LoadedSpec;
    try {
      loaded = loadSpec(options.config);
    } catch (error) {
      return fail(error);
    }
    const model = findModel(loaded, options.model);
    try {
      const predictor = pickReferencePredictor(model, loadPredictors(loaded));
      const built = await buildProfile(options.input, model, {
        sampleLimit: options.sampleLimit,
        ...(predictor === undefined ? {} : { predictor }),
      });
      await writeProfile(options.out, built.profile);
      for (const line of describeProfile(built.profile)) console.log(line);
      for (const line of describeCalibration(built.calibration, model)) console.log(line);
      console.log(
        `wrote ${options.out} (${built.profile.source.rows} rows, ${built.profile.features.length} features; ${describeOutputs(built.outputs, predictor?.version)})`,
      );
      return 0;
    } catch (error) {
      return fail(error);
    }
  },
};

interface ProfileOptions {
  readonly input: string;
  readonly out: string;
  readonly model: string | undefined;
  readonly config: string;
  readonly sampleLimit: number;
}

function readOptions(args: string[]): ProfileOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      model: { type: 'string' },
      config: { type: 'string', default: 'mlwatch.yaml' },
      'sample-limit': { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length !== 1)
    throw new UsageError(
      `expected one reference file (CSV or JSONL), got ${positionals.length === 0 ? 'none' : positionals.length}`,
    );
  if (values.out === undefined) throw new UsageError('--out: required (the profile file to write)');
  return {
    input: positionals[0] as string,
    out: values.out,
    model: values.model,
    config: values.config,
    sampleLimit: parseSampleLimit(values['sample-limit']),
  };
}

function parseSampleLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SAMPLE_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--sample-limit: expected a whole number >= 1, got ${JSON.stringify(text)}`);
  return limit;
}

function findModel(loaded: LoadedSpec, name: string | undefined): ModelSpec {
  const { models } = loaded.spec;
  const names = models.map((m) => m.name).join(', ');
  if (name === undefined) {
    if (models.length === 1) return models[0] as ModelSpec;
    throw new UsageError(`--model: required, since ${loaded.file} has ${models.length} models (${names})`);
  }
  const model = models.find((m) => m.name === name);
  if (model === undefined)
    throw new UsageError(`--model: no model ${JSON.stringify(name)} in ${loaded.file} (models: ${names})`);
  return model;
}

function fail(error: unknown): number {
  console.error(`mlwatch profile: ${(error as Error).message}`);
  return 1;
}

/** One line per feature and output: name, type, count, missing, then mean/std or the top categories. */
export function describeProfile(profile: ReferenceProfile): string[] {
  const outputs =
    profile.outputs === undefined
      ? []
      : [profile.outputs.prediction, ...(profile.outputs.confidence === undefined ? [] : [profile.outputs.confidence])];
  const all = [...profile.features, ...outputs];
  const width = Math.max(...all.map((feature) => feature.name.length));
  return all.map(
    (feature) =>
      `${feature.name.padEnd(width)}  ${feature.type.padEnd(11)}  count ${feature.count}  missing ${feature.missing}  ${describeShape(feature)}`,
  );
}

function describeShape(feature: FeatureProfile): string {
  if (feature.type === 'numeric') return `mean ${readable(feature.mean)}  std ${readable(feature.std)}`;
  const ranked = Object.entries(feature.categories)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  const top = ranked
    .slice(0, TOP_CATEGORIES)
    .map(([name, count]) => `${name} ${((100 * count) / feature.count).toFixed(1)}%`);
  const more = ranked.length - top.length;
  return `${top.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

/** Four significant digits, without the float noise: 0.1 rather than 0.10000000000000003. */
function readable(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function describeOutputs(source: OutputSource, version: string | undefined): string {
  if (source === 'file') return 'outputs from the file';
  if (source === 'predictor') return `outputs scored by version ${version ?? '?'}`;
  return 'no outputs: no prediction column and no model artifact';
}

/** Where the docs say what estimating performance from raw probabilities assumes. */
const ESTIMATION_DOC = 'docs/estimated-performance.md';

/** What the calibration step did, per map key, and what the exporter will use for each version. */
export function describeCalibration(outcome: CalibrationOutcome, model: ModelSpec): string[] {
  if (outcome.kind === 'none')
    return [
      `calibration: none (${outcome.reason}); the exporter estimates performance from the raw probabilities, which assumes they are calibrated (${ESTIMATION_DOC})`,
    ];
  const lines = outcome.keys.map((key) => {
    const name = key.key === ALL_VERSIONS ? 'calibration (every version)' : `calibration ${key.key}`;
    const check = `held-out ECE ${readable(key.eceRaw)} raw, ${readable(key.eceCalibrated)} calibrated (${key.checkRows} rows; fitted on ${key.fitRows})`;
    if (key.stored === 'isotonic') return `${name}: isotonic map stored; ${check}`;
    if (key.stored === 'identity')
      return `${name}: the isotonic map would raise the ${check}; stored the identity, so the exporter uses the raw probabilities`;
    return `${name}: ${key.fitRows + key.checkRows} labelled rows, fewer than ${MIN_CALIBRATION_ROWS}; no map, so the exporter uses the raw probabilities`;
  });
  const keys = new Set(outcome.keys.map((key) => key.key));
  if (!keys.has(ALL_VERSIONS))
    for (const version of model.versions)
      if (!keys.has(version.name))
        lines.push(
          `calibration ${version.name}: no labelled rows in the file; the exporter uses its raw probabilities`,
        );
  if (outcome.unlabelled > 0) lines.push(`calibration: ${outcome.unlabelled} rows without a label left out`);
  for (const [version, rows] of Object.entries(outcome.otherVersions))
    lines.push(
      `calibration: ${rows} labelled rows of version ${JSON.stringify(version)} left out: not a version of ${model.name}`,
    );
  return lines;
}
