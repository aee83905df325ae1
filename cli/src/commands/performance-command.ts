import { parseArgs } from 'node:util';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import type { PerformanceReport, PerformanceTask } from '../../../drift/src/offline/performance-report';
import { formatPerformanceReport } from '../../../drift/src/offline/performance-table';
import { inferTask, readPerformanceFile } from '../../../drift/src/offline/read-performance-file';
import { UsageError, type Command } from '../command';

/** Exit codes: the report is information, not a gate; 2 for bad input. */
const EXIT = { ok: 0, badInput: 2 } as const;

export const performanceCommand: Command = {
  name: 'performance',
  summary: 'realised (and estimated) model quality from a file of labelled predictions',
  usage: `Usage: mlwatch performance <predictions> [--model <name> [--spec mlwatch.yaml]] [--json]

Reads a CSV or JSONL file with "prediction" and "label" columns (an empty label:
not labelled yet), optionally "version", and for a classifier "confidence" (the
predicted class's probability) or one "proba_<class>" column per class, and
prints per version and overall:
  classification: accuracy, per-class precision/recall/F1, macro F1, the
    confusion matrix, and the same estimated from the probabilities when the
    file has them (every row counts, labelled or not);
  regression: MAE, RMSE and the number of labelled rows.
--model names the model of the spec (--spec, or --config as the other commands
call it; mlwatch.yaml by default) whose task and classes the file has; without
it, numeric labels mean regression and the classes are those the file names
(classes named by numbers need --model). --json prints the report as JSON
(null where a ratio is undefined, such as the precision of a class never predicted).
Exit code 0, or 2 for bad input (the message names the row and column).`,
  async run(args) {
    const options = readOptions(args);
    let report: PerformanceReport;
    try {
      const task = options.model === undefined ? await inferTask(options.file) : taskOf(options.spec, options.model);
      report = await readPerformanceFile(options.file, task);
    } catch (error) {
      console.error(`mlwatch performance: ${(error as Error).message}`);
      return EXIT.badInput;
    }
    console.log(options.json ? JSON.stringify(report, null, 2) : formatPerformanceReport(report));
    return EXIT.ok;
  },
};

interface PerformanceOptions {
  readonly file: string;
  readonly spec: string;
  readonly model: string | undefined;
  readonly json: boolean;
}

function readOptions(args: string[]): PerformanceOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      spec: { type: 'string', default: 'mlwatch.yaml' },
      config: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('expected a <predictions> file');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  // --config is what the other commands call the spec; both work.
  return { file, spec: values.config ?? values.spec, model: values.model, json: values.json };
}

/** The task and classes of a spec's model. */
function taskOf(specFile: string, name: string): PerformanceTask {
  const loaded = loadSpec(specFile);
  const models = loaded.spec.models;
  const model: ModelSpec | undefined = models.find((m) => m.name === name);
  if (model === undefined)
    throw new Error(
      `--model: ${JSON.stringify(name)} is not a model of ${loaded.file} (known: ${models.map((m) => m.name).join(', ')})`,
    );
  return model.task === 'regression'
    ? { kind: 'regression' }
    : { kind: 'classification', classes: model.classes ?? [] };
}
