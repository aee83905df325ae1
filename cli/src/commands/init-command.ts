import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelTask } from '../../../spec/src/schema';
import { UsageError, type Command } from '../command';
import { inferFeatures } from '../init/infer-features';
import { readColumnStats } from '../init/read-columns';
import { OUTPUT_COLUMNS, starterSpec } from '../init/starter-spec';
import { LABEL_COLUMN, PROBABILITY_PREFIX, VERSION_COLUMN } from '../../../drift/src/profile/calibration-columns';

const TASKS = ['classification', 'regression', 'binary_classification', 'multiclass_classification'] as const;
/** Same rule as the spec's names: they end up in URLs and label values. */
const MODEL_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export const initCommand: Command = {
  name: 'init',
  summary: 'write a starter mlwatch.yaml with the features inferred from a reference CSV',
  usage: `Usage: mlwatch init --reference data.csv [--task classification|regression] [--model NAME]
                   [--out mlwatch.yaml] [--exclude COLUMN,…] [--force]

Reads the reference sample (a CSV with a header row: the training data, or a sample of
it) and writes a starter spec: one feature per column, numeric when every value is a
number, categorical otherwise with its values as categories (the 50 most frequent),
nullable when a cell is empty. A "prediction" column (else a "label" column) gives a
classifier its classes (else placeholders to edit); "prediction" and "confidence" are
outputs, and "label", "version" and "proba_<class>" are what \`mlwatch profile\` fits a
calibration map on: none of them is a feature.
--task classification (default) becomes binary or multiclass by the number of classes.
Refuses to overwrite an existing file without --force. The result passes
\`mlwatch validate\`; edit it, then run \`mlwatch generate\` and \`mlwatch serve\`.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        reference: { type: 'string' },
        task: { type: 'string', default: 'classification' },
        model: { type: 'string', default: 'model' },
        out: { type: 'string', default: 'mlwatch.yaml' },
        exclude: { type: 'string', default: '' },
        force: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.reference === undefined) throw new UsageError('--reference: required (a CSV file with a header row)');
    if (!(TASKS as readonly string[]).includes(values.task))
      throw new UsageError(`--task: expected one of ${TASKS.join(', ')}, got ${JSON.stringify(values.task)}`);
    if (!MODEL_NAME.test(values.model))
      throw new UsageError(
        `--model: expected a name of letters, digits, "_", "." or "-" starting with a letter, got ${JSON.stringify(values.model)}`,
      );

    const { rows, columns } = await readColumnStats(values.reference);
    const notFeatures = new Set<string>([...OUTPUT_COLUMNS, ...columns.map((c) => c.name).filter(isCalibrationColumn)]);
    const exclude = new Set([...notFeatures, ...values.exclude.split(',').filter((c) => c !== '')]);
    const { features, skipped } = inferFeatures(columns, exclude);
    if (features.length === 0)
      throw new Error(`${values.reference}: no column can be a feature (${skipped.map((s) => s.name).join(', ')})`);
    const prediction =
      columns.find((c) => c.name === OUTPUT_COLUMNS[0]) ?? columns.find((c) => c.name === LABEL_COLUMN);
    const classes = prediction === undefined ? undefined : [...prediction.counts.keys()].sort();
    const task = resolveTask(values.task, classes);
    const outDir = path.dirname(path.resolve(values.out));
    const reference = path.relative(outDir, path.resolve(values.reference)) || path.basename(values.reference);
    const text = starterSpec({
      model: values.model,
      task,
      ...(task === 'regression' || classes === undefined || classes.length < 2 ? {} : { classes }),
      reference,
      rows,
      features,
      skipped: skipped.filter((s) => !notFeatures.has(s.name)),
    });
    try {
      // 'wx' fails when the file exists, so two runs cannot both write it.
      writeFileSync(values.out, text, { flag: values.force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      console.error(`mlwatch init: ${values.out} exists; not overwriting it (--force replaces it)`);
      return 1;
    }
    const numeric = features.filter((f) => f.type === 'numeric').length;
    const nullable = features.filter((f) => f.nullable).length;
    console.log(
      `wrote ${values.out}: model ${values.model} (${task}), ${features.length} features from ${rows} rows ` +
        `(${numeric} numeric, ${features.length - numeric} categorical, ${nullable} nullable)` +
        (skipped.length === 0 ? '' : `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`) +
        `\nnext: mlwatch validate ${values.out}`,
    );
    return 0;
  },
};

/** The spec's task for `--task`: a classifier is binary with two classes (or none known yet), multiclass with more. */
function resolveTask(task: string, classes: readonly string[] | undefined): ModelTask {
  if (task === 'regression' || task === 'binary_classification' || task === 'multiclass_classification') return task;
  return classes !== undefined && classes.length > 2 ? 'multiclass_classification' : 'binary_classification';
}

/** The ground truth, the version and the class probabilities a calibration map is fitted on. */
function isCalibrationColumn(name: string): boolean {
  return name === LABEL_COLUMN || name === VERSION_COLUMN || name.startsWith(PROBABILITY_PREFIX);
}
