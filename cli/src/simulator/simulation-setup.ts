import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { Random } from '../demo/random';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
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
  const dispatcher =
    mode === 'predict'
      ? predictDispatcher(new PredictSender(options.target, model.name, timeoutMs, options.token), source, fractionOf)
      : ingestDispatcher(
          new IngestSender(options.target, timeoutMs, options.token),
          new LocalScorer(model.name, loadPredictors(loaded)),
          source,
          fractionOf,
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
  };
}

function predictDispatcher(
  sender: PredictSender,
  source: TrafficSource,
  fractionOf: (index: number) => number,
): Dispatcher {
  return {
    dispatch(first) {
      const event = source.next(fractionOf(first));
      return { phase: event.phase, done: sender.send(event) };
    },
  };
}

function ingestDispatcher(
  sender: IngestSender,
  scorer: LocalScorer,
  source: TrafficSource,
  fractionOf: (index: number) => number,
): Dispatcher {
  return {
    dispatch(first, count) {
      const timestamp = new Date().toISOString();
      const events: IngestEvent[] = [];
      let phase = '';
      for (let i = 0; i < count; i++) {
        const planned = source.next(fractionOf(first + i));
        phase = planned.phase;
        events.push(scorer.score(planned, timestamp));
      }
      return { phase, done: sender.send(events) };
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
  if (model.task === 'regression')
    throw new RangeError(`model: ${model.name} is a regression model; the simulator drives classifiers only`);
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
