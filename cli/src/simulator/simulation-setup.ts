import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec, OutcomesSpec } from '../../../spec/src/schema';
import { Random } from '../demo/random';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { isRegressionPredictor, predictorKey, type Predictor } from '../../../spec/src/model-types';
import { chooseBusinessModel } from './business-model';
import { BUSINESS_MODEL_SOURCES } from './business-model-sources';
import { chooseGroundTruth, type GroundTruth, type ProbabilityModel } from './ground-truth';
import { GROUND_TRUTH_SOURCES } from './ground-truth-sources';
import { LabelFeed, type LabelFeedOptions } from './label-feed';
import { LabelPlanner } from './label-planner';
import {
  hasFollowUps,
  planFollowUps,
  queueFollowUps,
  type FollowUps,
  type Labelling,
  type Outcomes,
  type Planned,
} from './follow-ups';
import { LabelQueue } from './label-queue';
import { LabelSender } from './label-sender';
import { IngestSender } from './ingest-sender';
import { LocalScorer, type IngestEvent } from './local-scorer';
import { OutcomeFeed, type OutcomeFeedOptions } from './outcome-feed';
import { OutcomePlanner } from './outcome-planner';
import { OutcomeQueue } from './outcome-queue';
import { OutcomeSender } from './outcome-sender';
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
/** Salt of the outcomes' random stream, so that outcomes change neither the traffic nor the labels of a seed. */
const OUTCOME_STREAM_SALT = 0x0c7c0e5;

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
  /** The business outcomes of the run's predictions; undefined when the model has no `outcomes` section. */
  readonly outcomes: OutcomeFeed | undefined;
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
  const outcomes =
    model.outcomes === undefined ? undefined : prepareOutcomes(options, loaded, model, model.outcomes, scenario);
  const followUps: FollowUps = { labelling, outcomes };
  const dispatcher =
    mode === 'predict'
      ? predictDispatcher(
          new PredictSender(options.target, model.name, timeoutMs, options.token),
          source,
          fractionOf,
          followUps,
        )
      : ingestDispatcher(
          new IngestSender(options.target, timeoutMs, options.token),
          new LocalScorer(model.name, loadedPredictors()),
          source,
          fractionOf,
          followUps,
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
    outcomes: outcomes?.feed,
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
  const delaySeconds = checkDelay(
    'label delay',
    options.labelDelaySeconds ?? SIMULATION_DEFAULTS.labelDelaySeconds,
    SIMULATION_LIMITS.maxLabelDelaySeconds,
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
  const feed = new LabelFeed(new LabelQueue(capacity), sender, feedOptions(options, loaded, delaySeconds));
  return { planner, feed };
}

/**
 * Checks the outcome options and builds the planner (business model, coverage, the scenario's
 * effects per version) and the feed (delay, queue, sender).
 */
function prepareOutcomes(
  options: SimulationOptions,
  loaded: LoadedSpec,
  model: ModelSpec,
  spec: OutcomesSpec,
  scenario: ScenarioDefinition,
): Outcomes {
  const delaySeconds = checkDelay(
    'outcome delay',
    options.outcomeDelaySeconds ?? Math.min(SIMULATION_DEFAULTS.outcomeDelaySeconds, spec.attribution_delay_seconds),
    SIMULATION_LIMITS.maxOutcomeDelaySeconds,
  );
  const planner = new OutcomePlanner(
    scenario,
    chooseBusinessModel(model, spec, BUSINESS_MODEL_SOURCES),
    planVersions(model),
    options.outcomeCoverage ?? SIMULATION_DEFAULTS.outcomeCoverage,
    new Random(((options.seed ?? SIMULATION_DEFAULTS.seed) ^ OUTCOME_STREAM_SALT) >>> 0),
  );
  const sender = new OutcomeSender(
    options.outcomeTarget ?? options.target,
    options.requestTimeoutMs ?? SIMULATION_DEFAULTS.requestTimeoutMs,
    options.token,
  );
  const feed = new OutcomeFeed(
    new OutcomeQueue(SIMULATION_DEFAULTS.outcomeQueue),
    sender,
    feedOptions(options, loaded, delaySeconds),
  );
  return { planner, feed };
}

/** A delay in seconds from 0 to `max`; throws naming the setting otherwise. */
function checkDelay(name: string, seconds: number, max: number): number {
  if (!(seconds >= 0 && seconds <= max)) throw new RangeError(`${name}: expected 0 to ${max} s, got ${seconds} s`);
  return seconds;
}

/** Batching and pacing of labels and outcomes alike (batches also bounded by exporter.max_batch_events). */
function feedOptions(
  options: SimulationOptions,
  loaded: LoadedSpec,
  delaySeconds: number,
): LabelFeedOptions & OutcomeFeedOptions {
  return {
    delayMs: delaySeconds * 1000,
    batchSize: Math.min(SIMULATION_DEFAULTS.labelBatchSize, loaded.spec.exporter.max_batch_events),
    maxWaitMs: SIMULATION_DEFAULTS.labelMaxWaitMs,
    maxInFlight: SIMULATION_DEFAULTS.labelMaxInFlight,
    now: options.now ?? Date.now,
  };
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

function predictDispatcher(
  sender: PredictSender,
  source: TrafficSource,
  fractionOf: (index: number) => number,
  followUps: FollowUps,
): Dispatcher {
  return {
    dispatch(first) {
      const fraction = fractionOf(first);
      const event = source.next(fraction);
      const planned = planFollowUps(followUps, event.features, fraction, event.fail);
      const done = sender.send(event);
      return {
        phase: event.phase,
        done:
          planned.label === undefined && planned.ticket === undefined
            ? done
            : done.then((outcome) => queueFollowUps(followUps, [planned], outcome)),
      };
    },
  };
}

function ingestDispatcher(
  sender: IngestSender,
  scorer: LocalScorer,
  source: TrafficSource,
  fractionOf: (index: number) => number,
  followUps: FollowUps,
): Dispatcher {
  return {
    dispatch(first, count) {
      const timestamp = new Date().toISOString();
      const events: IngestEvent[] = [];
      const planned: Planned[] = [];
      let phase = '';
      for (let i = 0; i < count; i++) {
        const fraction = fractionOf(first + i);
        const event = source.next(fraction);
        phase = event.phase;
        events.push(scorer.score(event, timestamp));
        planned.push(planFollowUps(followUps, event.features, fraction, event.fail));
      }
      const done = sender.send(events);
      return {
        phase,
        done: hasFollowUps(followUps) ? done.then((outcome) => queueFollowUps(followUps, planned, outcome)) : done,
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
