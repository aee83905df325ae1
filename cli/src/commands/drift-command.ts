import { parseArgs } from 'node:util';
import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { prepareDriftPlan } from '../../../drift/src/engine/drift-plan';
import type { DriftReport } from '../../../drift/src/engine/drift-report';
import { evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import { readWindowFile } from '../../../drift/src/offline/read-window-file';
import { buildProfile, pickReferencePredictor } from '../../../drift/src/profile/build-profile';
import { isProfileFile } from '../../../exporter/src/runtime/model-profiles';
import { checkProfileMatchesModel, loadProfile } from '../../../drift/src/profile/profile-file';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { formatDriftReport } from '../../../drift/src/offline/report-table';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { UsageError, type Command } from '../command';

/** Exit codes, so that `mlwatch drift` can gate a pipeline. */
const EXIT = { noDrift: 0, drift: 1, badInput: 2 } as const;

export const driftCommand: Command = {
  name: 'drift',
  summary: 'compare a current data file with a reference offline; exit 1 on drift',
  usage: `Usage: mlwatch drift <reference> <current> [--model <name>] [--config mlwatch.yaml]
       [--json] [--fail-on feature|dataset]

Compares the current data (CSV or JSONL with the model's feature columns, and
optionally "prediction" and "confidence" columns for output drift) with the
reference (the same kind of file, or a profile from mlwatch profile), by the
spec's drift settings: the tests, corrections and thresholds of docs/drift.md.
Prints a table per feature (--json: the report the exporter serves).
Exit code 0 when nothing drifted, 1 when a feature drifted (--fail-on dataset:
only when dataset drift was found), 2 for bad input.`,
  async run(args) {
    const options = readOptions(args);
    let report: DriftReport;
    try {
      const loaded = loadSpec(options.config);
      const model = findModel(loaded, options.model);
      const current = await readWindowFile(options.current, model);
      const profile = await referenceProfile(options.reference, loaded, model);
      // Output drift needs outputs on both sides.
      const usable = current.hasPredictions || current.hasConfidences ? profile : withoutOutputs(profile);
      const plan = prepareDriftPlan(
        usable,
        loaded.spec.drift,
        model.features,
        model.classes === undefined ? {} : { classes: model.classes },
      );
      report = evaluateDriftPlan(current.snapshot, plan);
    } catch (error) {
      console.error(`mlwatch drift: ${(error as Error).message}`);
      return EXIT.badInput;
    }
    console.log(options.json ? JSON.stringify(report, null, 2) : formatDriftReport(report));
    const failed = options.failOn === 'dataset' ? report.dataset_drift === true : report.drifted === true;
    return failed ? EXIT.drift : EXIT.noDrift;
  },
};

interface DriftOptions {
  readonly reference: string;
  readonly current: string;
  readonly model: string | undefined;
  readonly config: string;
  readonly json: boolean;
  readonly failOn: 'feature' | 'dataset';
}

function readOptions(args: string[]): DriftOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      config: { type: 'string', default: 'mlwatch.yaml' },
      json: { type: 'boolean', default: false },
      'fail-on': { type: 'string', default: 'feature' },
    },
    strict: true,
  });
  const [reference, current, ...extra] = positionals;
  if (reference === undefined || current === undefined)
    throw new UsageError('expected <reference> and <current> files');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const failOn = values['fail-on'];
  if (failOn !== 'feature' && failOn !== 'dataset')
    throw new UsageError(`--fail-on: expected feature or dataset, got ${JSON.stringify(failOn)}`);
  return { reference, current, model: values.model, config: values.config, json: values.json, failOn };
}

function findModel(loaded: LoadedSpec, name: string | undefined): ModelSpec {
  const models = loaded.spec.models;
  if (name === undefined) {
    if (models.length === 1) return models[0] as ModelSpec;
    throw new Error(
      `--model is needed: ${loaded.file} has ${models.length} models (${models.map((m) => m.name).join(', ')})`,
    );
  }
  const model = models.find((m) => m.name === name);
  if (model === undefined)
    throw new Error(
      `--model: ${JSON.stringify(name)} is not a model of ${loaded.file} (known: ${models.map((m) => m.name).join(', ')})`,
    );
  return model;
}

async function referenceProfile(file: string, loaded: LoadedSpec, model: ModelSpec): Promise<ReferenceProfile> {
  const modelIndex = loaded.spec.models.indexOf(model);
  if (isProfileFile(file)) {
    const profile = loadProfile(file);
    checkProfileMatchesModel(profile, model, { profileFile: file, specFile: loaded.file, modelIndex });
    return profile;
  }
  const predictor = pickReferencePredictor(model, loadPredictors(loaded));
  return (await buildProfile(file, model, predictor === undefined ? {} : { predictor })).profile;
}

function withoutOutputs(profile: ReferenceProfile): ReferenceProfile {
  const { outputs: _outputs, ...rest } = profile;
  return rest;
}
