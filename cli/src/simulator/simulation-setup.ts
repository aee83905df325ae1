import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { Random } from '../demo/random';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { isRegressionPredictor, predictorKey, type Predictor } from '../../../spec/src/model-types';
import { chooseGroundTruth, type GroundTruth, type ProbabilityModel } from './ground-truth';
import { GROUND_TRUTH_SOURCES } from './ground-truth-sources';
import { LabelFeed } from './label-feed';
import { LabelPlanner, type PlannedLabel } from './label-planner';
import { LabelQueue } from './label-queue';
import { LabelSender } from './label-sender';
import { IngestSender } from './ingest-sender';
import { LocalScorer, type IngestEvent } from './local-scorer';
import { PredictSender } from './predict-sender';
import { loadReferenceRows } from './reference-rows';
import { findScenario, maxAddedLatencyMs, type ScenarioDefinition } from './scenarios';
import {
  SIMULATION_DEFAULTS,
  SIMULATION_LIMITS,
  SIMULATION_MODES,
  checkBounded,
  defaultBatchSize,
  defaultMaxInFlight,
  type SimulationMode,
  type SimulationOptions,
} from './simulation-options';
import type { DeliveryOutcome } from './simulation-tally';
import { TrafficSource } from './traffic-source';
import { planVersions } from './version-plan';

/** Salt of the labels' random stream, so that labelling never changes the traffic of a seed. */
const LABEL_STREAM_SALT = 0x1abe1;

/** Sends the events with indexes [first, first + count) of the run. */
export interface Dispatcher {
  dispatch(first: number, count: number): { phase: string; done: Promise<DeliveryOutcome> };
}

/** A simulation with every option checked and defaulted, its traffic source and sender built. */
export interface SimulationSetup {
  readonly scenario: ScenarioDefinition;
  readonly mode: SimulationMode;
  readonly model: string;
  readonly rate: number;
  readonly durationSeconds: number;
  /** Events the run sends when it keeps up: rate × duration. */
  readonly totalEvents: number;
  /** Events per request: 1 in predict mode. */
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly skippedReferenceRows: number;
  readonly dispatcher: Dispatcher;
  /** The labels of the run's predictions; undefined when the model has no `quality` section. */
  readonly labels: LabelFeed | undefined;
}

/** The label side of a run: which predictions get which label, and the feed that sends them. */
interface Labelling {
  readonly planner: LabelPlanner;
  readonly feed: LabelFeed;
}

/** Validates the options, loads the spec and the reference sample, and builds the dispatcher; throws RangeError for bad options. */
export function prepareSimulation(options: SimulationOptions): SimulationSetup {
  const scenario = findScenario(options.scenario);
  const mode = options.mode ?? SIMULATION_DEFAULTS.mode;
  if (!SIMULATION_MODES.includes(mode))
    throw new RangeError(`mode: expected ${SIMULATION_MODES.join(' or ')}, got ${JSON.stringify(mode)}`);
  const rate = checkBounded('rate', options.rate ?? SIMULATION_DEFAULTS.rate, SIMULATION_LIMITS.maxRate, '/s');
  const durationSeconds = checkBounded(
    'duration',
    options.durationSeconds ?? SIMULATION_DEFAULTS.durationSeconds,
    SIMULATION_LIMITS.maxDurationSeconds,
    ' s',
  );
  const loaded =
    typeof options.config === 'object' ? options.config : loadSpec(options.config ?? SIMULATION_DEFAULTS.config);
  const model = chooseModel(loaded, options.model);
  const batchSize = mode === 'predict' ? 1 : checkBatchSize(options.batchSize, rate, loaded);
  const reference = loadReferenceRows(referenceFile(loaded, model), model.features);
  const random = new Random(options.seed ?? SIMULATION_DEFAULTS.seed);
  const source = new TrafficSource(model, reference.rows, scenario, random, { alwaysPickVersion: mode === 'ingest' });
  const totalEvents = Math.max(1, Math.round(rate * durationSeconds));
  const timeoutMs = options.requestTimeoutMs ?? SIMULATION_DEFAULTS.requestTimeoutMs;
  const fractionOf = (index: number): number => index / totalEvents;
  let predictors: Map<string, Predictor> | undefined;
  const loadedPredictors = (): Map<string, Predictor> => (predictors ??= loadPredictors(loaded));
  const labelling =
    model.quality === undefined ? undefined : prepareLabels(options, loaded, model, scenario, loadedPredictors);
  const dispatcher =
    mode === 'predict'
      ? predictDispatcher(
          new PredictSender(options.target, model.name, timeoutMs, options.token),
          source,
          fractionOf,
          labelling,
        )
      : ingestDispatcher(
          new IngestSender(options.target, timeoutMs, options.token),
          new LocalScorer(model.name, loadedPredictors()),
          source,
          fractionOf,
          labelling,
        );
  const maxInFlight =
    options.maxInFlight === undefined
      ? defaultMaxInFlight(mode, rate, maxAddedLatencyMs(scenario))
      : checkBounded('max in flight', options.maxInFlight, SIMULATION_LIMITS.maxInFlight);
  return {
    scenario,
    mode,
    model: model.name,
    rate,
    durationSeconds,
    totalEvents,
    batchSize,
    maxInFlight,
    skippedReferenceRows: reference.skipped,
    dispatcher,
    labels: labelling?.feed,
  };
}

/** Checks the label options and builds the planner (ground truth, coverage) and the feed (delay, queue, sender). */
function prepareLabels(
  options: SimulationOptions,
  loaded: LoadedSpec,
  model: ModelSpec,
  scenario: ScenarioDefinition,
  predictors: () => Map<string, Predictor>,
): Labelling {
  const delaySeconds = options.labelDelaySeconds ?? SIMULATION_DEFAULTS.labelDelaySeconds;
  if (!(delaySeconds >= 0 && delaySeconds <= SIMULATION_LIMITS.maxLabelDelaySeconds))
    throw new RangeError(
      `label delay: expected 0 to ${SIMULATION_LIMITS.maxLabelDelaySeconds} s, got ${delaySeconds} s`,
    );
  const coverage = options.labelCoverage ?? SIMULATION_DEFAULTS.labelCoverage;
  const capacity = options.labelQueue ?? SIMULATION_DEFAULTS.labelQueue;
  if (!Number.isInteger(capacity)) throw new RangeError(`label queue: expected a whole number, got ${capacity}`);
  checkBounded('label queue', capacity, SIMULATION_LIMITS.maxLabelQueue, ' labels');
  const groundTruth: GroundTruth =
    options.groundTruth ?? chooseGroundTruth(model, GROUND_TRUTH_SOURCES, () => baselinePredictor(model, predictors()));
  const planner = new LabelPlanner(
    model,
    scenario,
    groundTruth,
    coverage,
    new Random(((options.seed ?? SIMULATION_DEFAULTS.seed) ^ LABEL_STREAM_SALT) >>> 0),
  );
  const sender = new LabelSender(
    options.labelTarget ?? options.target,
    options.requestTimeoutMs ?? SIMULATION_DEFAULTS.requestTimeoutMs,
    options.token,
  );
  const feed = new LabelFeed(new LabelQueue(capacity), sender, {
    delayMs: delaySeconds * 1000,
    batchSize: Math.min(SIMULATION_DEFAULTS.labelBatchSize, loaded.spec.exporter.max_batch_events),
    maxWaitMs: SIMULATION_DEFAULTS.labelMaxWaitMs,
    maxInFlight: SIMULATION_DEFAULTS.labelMaxInFlight,
    now: options.now ?? Date.now,
  });
  return { planner, feed };
}

/** The model's most weighted version with an artifact: whose probabilities label a classifier nobody described. */
function baselinePredictor(model: ModelSpec, predictors: ReadonlyMap<string, Predictor>): ProbabilityModel {
  const baseline = planVersions(model).baseline;
  const predictor = predictors.get(predictorKey(model.name, baseline));
  if (predictor === undefined) throw new Error(`no predictor for model ${model.name} version ${baseline}`);
  if (isRegressionPredictor(predictor))
    throw new Error(`model ${model.name} version ${baseline} predicts values, not class probabilities`);
  return predictor;
}

/** Queues the labels of the recorded predictions among `planned` (indexed by position in the request). */
function queueLabels(
  labelling: Labelling | undefined,
  planned: readonly (PlannedLabel | undefined)[],
  outcome: DeliveryOutcome,
): DeliveryOutcome {
  if (labelling === undefined) return outcome;
  for (const recorded of outcome.recorded ?? []) {
    const label = planned[recorded.index];
    if (label !== undefined) labelling.feed.offer(recorded.predictionId, recorded.predicted, label);
  }
  return outcome;
}

function predictDispatcher(
  sender: PredictSender,
  source: TrafficSource,
  fractionOf: (index: number) => number,
  labelling: Labelling | undefined,
): Dispatcher {
  return {
    dispatch(first) {
      const fraction = fractionOf(first);
      const event = source.next(fraction);
      const label = event.fail ? undefined : labelling?.planner.plan(event.features, fraction);
      const done = sender.send(event);
      return {
        phase: event.phase,
        done: label === undefined ? done : done.then((outcome) => queueLabels(labelling, [label], outcome)),
      };
    },
  };
}

function ingestDispatcher(
  sender: IngestSender,
  scorer: LocalScorer,
  source: TrafficSource,
  fractionOf: (index: number) => number,
  labelling: Labelling | undefined,
): Dispatcher {
  return {
    dispatch(first, count) {
      const timestamp = new Date().toISOString();
      const events: IngestEvent[] = [];
      const labels: (PlannedLabel | undefined)[] = [];
      let phase = '';
      for (let i = 0; i < count; i++) {
        const fraction = fractionOf(first + i);
        const planned = source.next(fraction);
        phase = planned.phase;
        events.push(scorer.score(planned, timestamp));
        labels.push(planned.fail ? undefined : labelling?.planner.plan(planned.features, fraction));
      }
      const done = sender.send(events);
      return {
        phase,
        done: labelling === undefined ? done : done.then((outcome) => queueLabels(labelling, labels, outcome)),
      };
    },
  };
}

function chooseModel(loaded: LoadedSpec, name: string | undefined): ModelSpec {
  const models = loaded.spec.models;
  const model = name === undefined ? models[0] : models.find((m) => m.name === name);
  if (model === undefined)
    throw new RangeError(
      `model: ${JSON.stringify(name)} is not in ${loaded.file} (known: ${models.map((m) => m.name).join(', ')})`,
    );
  return model;
}

function checkBatchSize(requested: number | undefined, rate: number, loaded: LoadedSpec): number {
  const max = loaded.spec.exporter.max_batch_events;
  if (requested === undefined) return Math.min(max, defaultBatchSize(rate));
  if (!Number.isInteger(requested)) throw new RangeError(`batch size: expected a whole number, got ${requested}`);
  return checkBounded('batch size', requested, max, ' events (exporter.max_batch_events)');
}

function referenceFile(loaded: LoadedSpec, model: ModelSpec): string {
  if (model.reference === undefined)
    throw new Error(
      `model ${model.name} has no reference sample in ${loaded.file}; the simulator draws its traffic from it`,
    );
  if (/\.json$/i.test(model.reference))
    throw new Error(
      `model ${model.name}: the simulator needs a CSV or JSONL reference sample, not a profile (${model.reference})`,
    );
  return loaded.resolve(model.reference);
}
