import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_EXPORTER_PORT } from '../../../spec/src/conventions';
import { SimulationStopError } from '../simulator/post-json';
import { runSimulation } from '../simulator/run-simulation';
import { SCENARIOS } from '../simulator/scenarios';
import {
  SIMULATION_DEFAULTS,
  SIMULATION_LIMITS,
  SIMULATION_MODES,
  checkBounded,
  type SimulationMode,
  type SimulationOptions,
  type SimulationProgress,
} from '../simulator/simulation-options';
import {
  describeLabelSummary,
  describeOutcomeSummary,
  describePhase,
  describeProgress,
  describeSummary,
} from '../simulator/simulation-report';
import { simulationFailed } from '../simulator/simulation-tally';
import { UsageError, parseDurationSeconds, parsePositiveNumber, parseShare, type Command } from '../command';

const SCENARIO_LINES = SCENARIOS.map((s) => `  ${s.name.padEnd(13)} ${s.summary}`).join('\n');

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'send scenario traffic (drift, latency, errors, canary) to an exporter',
  usage: `Usage: mlwatch simulate --scenario <name> [--target http://127.0.0.1:${DEFAULT_EXPORTER_PORT}]
       [--mode predict|ingest] [--rate <events/s>] [--duration <seconds>]
       [--config mlwatch.yaml] [--model <name>] [--batch-size <n>] [--seed <n>]
       [--token-file <file>] [--label-delay 10s] [--label-coverage 0.8]
       [--label-queue <n>] [--label-target <url>]
       [--outcome-delay 10s] [--outcome-coverage 1] [--outcome-target <url>]

Draws rows from the model's reference sample with a seeded generator, shapes them
by the scenario's phases and sends them at a steady rate for a fixed time:
  predict  POST /v1/models/<model>/predict, one request per event; latency and
           errors are asked of the exporter (needs fault_injection: true)
  ingest   POST /v1/events/predictions in batches; the simulator scores rows with
           the demo models itself and reports latency and errors as a server would

Scenarios:
${SCENARIO_LINES}

A model with a quality section in the spec also gets ground-truth labels: a
--label-coverage share of its recorded predictions is labelled --label-delay after
the prediction (30s, 2m, 500ms; 0 sends at once) on POST /v1/events/labels (of
--label-target, by default the target), in batches. The truth comes from the demo
data generators for the demo's fraud and spend models, else (classifiers) from the
baseline version's probabilities;
the quality scenario breaks it while the inputs stay put. At most --label-queue labels
wait (the rest are dropped and counted); those still waiting at the end are sent at
once. The summary says what the exporter did with them and the accuracy they measured.

A model with an outcomes section also gets business outcomes on POST /v1/events/outcomes
(of --outcome-target, by default the target): for an --outcome-coverage share of its
recorded predictions a business model decides which declared events follow (the demo
fraud model: a payment it lets through checks out with a chance of 0.6 for its amount,
and a fraudulent one that checked out comes back as a chargeback), each at its own
moment within --outcome-delay (by default 10s or the spec's attribution_delay_seconds,
whichever is shorter). The canary scenario makes the canary convert a third worse. The
summary says what the exporter did with them and the rates per version they make.

An exporter with auth.write tokens needs one: --token-file names a file whose first
line is the token, or set MLWATCH_TOKEN (or MLWATCH_TOKEN_FILE). A refused token stops
the run with exit code 1.

Defaults: --mode ${SIMULATION_DEFAULTS.mode}, --rate ${SIMULATION_DEFAULTS.rate}, --duration ${SIMULATION_DEFAULTS.durationSeconds}, --seed ${SIMULATION_DEFAULTS.seed},
--batch-size up to ${SIMULATION_DEFAULTS.batchSize} (smaller at low rates), --label-delay ${SIMULATION_DEFAULTS.labelDelaySeconds}s,
--label-coverage ${SIMULATION_DEFAULTS.labelCoverage}, --label-queue ${SIMULATION_DEFAULTS.labelQueue}, --outcome-coverage ${SIMULATION_DEFAULTS.outcomeCoverage}. Limits: ${SIMULATION_LIMITS.maxRate} events/s,
${SIMULATION_LIMITS.maxDurationSeconds} s (24 h). Progress is printed every ${SIMULATION_DEFAULTS.progressIntervalMs / 1000} s. Exit code 0 when done; 1 when
the target was unreachable or most events failed; SIGINT stops early.`,
  async run(args) {
    const options = readOptions(args);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const summary = await runSimulation({
        ...options,
        signal: controller.signal,
        onProgress: printProgress,
        onPhase: (phase, elapsed) => console.log(describePhase(phase, elapsed)),
      });
      const labels = describeLabelSummary(summary);
      if (labels !== undefined) console.log(labels);
      const outcomes = describeOutcomeSummary(summary);
      if (outcomes !== undefined) console.log(outcomes);
      console.log(describeSummary(summary));
      if (!simulationFailed(summary)) return 0;
      const what =
        summary.ok + summary.errors === 0
          ? `no event reached the exporter at ${options.target}`
          : 'most events did not get through';
      console.error(
        `mlwatch simulate: ${what}${summary.lastProblem === undefined ? '' : ` (last problem: ${summary.lastProblem})`}`,
      );
      return 1;
    } catch (error) {
      if (error instanceof SimulationStopError) {
        console.error(`mlwatch simulate: ${error.message}`);
        return 1;
      }
      if (error instanceof RangeError) throw new UsageError(error.message, { cause: error });
      throw error;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};

function readOptions(args: string[]): SimulationOptions {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string', default: `http://127.0.0.1:${DEFAULT_EXPORTER_PORT}` },
      scenario: { type: 'string' },
      mode: { type: 'string', default: SIMULATION_DEFAULTS.mode },
      rate: { type: 'string' },
      duration: { type: 'string' },
      config: { type: 'string', default: SIMULATION_DEFAULTS.config },
      model: { type: 'string' },
      'batch-size': { type: 'string' },
      seed: { type: 'string' },
      'token-file': { type: 'string' },
      'label-delay': { type: 'string' },
      'label-coverage': { type: 'string' },
      'label-queue': { type: 'string' },
      'label-target': { type: 'string' },
      'outcome-delay': { type: 'string' },
      'outcome-coverage': { type: 'string' },
      'outcome-target': { type: 'string' },
    },
    strict: true,
  });
  if (values.scenario === undefined) throw new UsageError('--scenario is required');
  if (!(SIMULATION_MODES as readonly string[]).includes(values.mode))
    throw new UsageError(`--mode: expected predict or ingest, got ${JSON.stringify(values.mode)}`);
  return {
    target: readTarget(values.target),
    scenario: values.scenario,
    mode: values.mode as SimulationMode,
    rate: bounded(
      'rate',
      parsePositiveNumber('rate', values.rate, SIMULATION_DEFAULTS.rate),
      SIMULATION_LIMITS.maxRate,
      ' events/s',
    ),
    durationSeconds: bounded(
      'duration',
      parsePositiveNumber('duration', values.duration, SIMULATION_DEFAULTS.durationSeconds),
      SIMULATION_LIMITS.maxDurationSeconds,
      ' s',
    ),
    config: values.config,
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values['batch-size'] === undefined
      ? {}
      : { batchSize: readWholeNumber('batch-size', values['batch-size'], 1) }),
    seed: values.seed === undefined ? SIMULATION_DEFAULTS.seed : readWholeNumber('seed', values.seed, 0),
    ...tokenOption(values['token-file'], process.env),
    ...labelOptions(values),
    ...outcomeOptions(values),
  };
}

/** The outcome settings given on the command line (the rest keep their defaults, the delay the spec's). */
export function outcomeOptions(values: {
  'outcome-delay'?: string | undefined;
  'outcome-coverage'?: string | undefined;
  'outcome-target'?: string | undefined;
}): Pick<SimulationOptions, 'outcomeDelaySeconds' | 'outcomeCoverage' | 'outcomeTarget'> {
  const text = values['outcome-delay'];
  const delay = text === undefined ? undefined : parseDurationSeconds('outcome-delay', text, 0);
  if (delay !== undefined && delay > SIMULATION_LIMITS.maxOutcomeDelaySeconds)
    throw new UsageError(
      `--outcome-delay: ${delay} s is above the limit of ${SIMULATION_LIMITS.maxOutcomeDelaySeconds} s`,
    );
  return {
    ...(delay === undefined ? {} : { outcomeDelaySeconds: delay }),
    outcomeCoverage: parseShare('outcome-coverage', values['outcome-coverage'], SIMULATION_DEFAULTS.outcomeCoverage),
    ...(values['outcome-target'] === undefined
      ? {}
      : { outcomeTarget: readTarget(values['outcome-target'], 'outcome-target') }),
  };
}

/** The label settings given on the command line (the rest keep their defaults). */
export function labelOptions(values: {
  'label-delay'?: string | undefined;
  'label-coverage'?: string | undefined;
  'label-queue'?: string | undefined;
  'label-target'?: string | undefined;
}): Pick<SimulationOptions, 'labelDelaySeconds' | 'labelCoverage' | 'labelQueue' | 'labelTarget'> {
  const delay = parseDurationSeconds('label-delay', values['label-delay'], SIMULATION_DEFAULTS.labelDelaySeconds);
  if (delay > SIMULATION_LIMITS.maxLabelDelaySeconds)
    throw new UsageError(`--label-delay: ${delay} s is above the limit of ${SIMULATION_LIMITS.maxLabelDelaySeconds} s`);
  return {
    labelDelaySeconds: delay,
    labelCoverage: parseShare('label-coverage', values['label-coverage'], SIMULATION_DEFAULTS.labelCoverage),
    ...(values['label-queue'] === undefined
      ? {}
      : {
          labelQueue: bounded(
            'label-queue',
            readWholeNumber('label-queue', values['label-queue'], 1),
            SIMULATION_LIMITS.maxLabelQueue,
            ' labels',
          ),
        }),
    ...(values['label-target'] === undefined
      ? {}
      : { labelTarget: readTarget(values['label-target'], 'label-target') }),
  };
}

/** The write token from --token-file, MLWATCH_TOKEN_FILE or MLWATCH_TOKEN, in that order; none when none is given. */
export function tokenOption(tokenFile: string | undefined, env: NodeJS.ProcessEnv): { token?: string } {
  const file = tokenFile ?? env['MLWATCH_TOKEN_FILE'];
  if (file === undefined) {
    const token = env['MLWATCH_TOKEN']?.trim();
    return token === undefined || token === '' ? {} : { token };
  }
  const what = tokenFile === undefined ? 'MLWATCH_TOKEN_FILE' : '--token-file';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
      cause: error,
    });
  }
  const token = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
  if (token === undefined) throw new UsageError(`${what}: ${file} holds no token`);
  return { token };
}

function bounded(option: string, value: number, max: number, unit: string): number {
  try {
    return checkBounded(`--${option}`, value, max, unit);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function readWholeNumber(option: string, text: string, min: number): number {
  const number = Number(text);
  if (!Number.isSafeInteger(number) || number < min)
    throw new UsageError(`--${option}: expected a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return number;
}

function readTarget(text: string, option = 'target'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(targetProblem(text, option), { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(targetProblem(text, option));
  return text.replace(/\/+$/, '');
}

function targetProblem(text: string, option: string): string {
  return `--${option}: expected an http(s) URL like http://127.0.0.1:${DEFAULT_EXPORTER_PORT}, got ${JSON.stringify(text)}`;
}

function printProgress(progress: SimulationProgress): void {
  console.log(describeProgress(progress));
}
