import type { LoadedSpec } from '../../../spec/src/load-spec';
import type { GroundTruth } from './ground-truth';
import type { LabelCounts } from './label-feed';
import type { OutcomeCounts } from './outcome-feed';
import type { DeliveryOutcome, SimulationCounts } from './simulation-tally';

/** How events reach the exporter: as predict requests it serves, or as batches of predictions made elsewhere. */
export type SimulationMode = 'predict' | 'ingest';
export const SIMULATION_MODES: readonly SimulationMode[] = ['predict', 'ingest'];

/** Upper bounds that keep a typo from flooding a machine or running for days. */
export const SIMULATION_LIMITS = {
  /** Events per second. */
  maxRate: 20_000,
  /** 24 hours, in seconds. */
  maxDurationSeconds: 86_400,
  /** Requests in flight at once. */
  maxInFlight: 1024,
  /** A label delay of a day: longer would only fill the queue. */
  maxLabelDelaySeconds: 86_400,
  /** Labels waiting at once: about 150 bytes each, so 150 MB at most. */
  maxLabelQueue: 1_000_000,
  /** An outcome delay of a day, like labels. */
  maxOutcomeDelaySeconds: 86_400,
} as const;

/** Defaults of every optional setting, in one place. */
export const SIMULATION_DEFAULTS = {
  mode: 'predict' as SimulationMode,
  rate: 50,
  durationSeconds: 60,
  config: 'mlwatch.yaml',
  seed: 1,
  /** Largest default batch; lower rates get smaller batches (see defaultBatchSize). */
  batchSize: 100,
  progressIntervalMs: 5000,
  requestTimeoutMs: 10_000,
  /** Fewest requests in flight allowed, whatever the rate. */
  minInFlight: 32,
  /**
   * Seconds between a prediction and its label: long enough that labels visibly lag, short
   * enough that a five-minute demo and the fast stack's one-minute windows see them.
   */
  labelDelaySeconds: 10,
  /** Share of recorded predictions that get a label: some never do, as in life. */
  labelCoverage: 0.8,
  /** Labels waiting at once; at the default rate and delay about 400 wait, so this is room for a slow exporter. */
  labelQueue: 100_000,
  /** Most labels per request (also bounded by exporter.max_batch_events). */
  labelBatchSize: 500,
  /** A due label waits at most this long for a fuller batch, in milliseconds. */
  labelMaxWaitMs: 250,
  /** Label requests in flight at once. */
  labelMaxInFlight: 4,
  /**
   * Longest seconds between a prediction and its outcomes (each happens at its own moment within
   * it), unless the model's `outcomes.attribution_delay_seconds` is shorter: outcomes then land
   * inside the window the rules set against their predictions.
   */
  outcomeDelaySeconds: 10,
  /** Share of recorded predictions whose outcomes are tracked: all, since the business model already decides what happens. */
  outcomeCoverage: 1,
  /** Outcomes waiting at once (a prediction has two at most in the demo). */
  outcomeQueue: 200_000,
} as const;

/** A moment of a running simulation, reported every progress interval. */
export interface SimulationProgress extends SimulationCounts {
  readonly phase: string;
  /** The labels so far; undefined when the model gets none (no `quality` section in its spec). */
  readonly labels?: LabelCounts | undefined;
  /** The outcomes so far; undefined when the model gets none (no `outcomes` section in its spec). */
  readonly outcomes?: OutcomeCounts | undefined;
  readonly elapsedSeconds: number;
  readonly inFlight: number;
  readonly lastProblem: string | undefined;
}

/** What `runSimulation` takes; only the target and scenario are required. */
export interface SimulationOptions {
  /** Base URL of the exporter, e.g. `http://127.0.0.1:9420`. */
  target: string;
  scenario: string;
  mode?: SimulationMode;
  /** Events (predictions) per second, in both modes. */
  rate?: number;
  durationSeconds?: number;
  /** The spec file, or a spec already loaded. */
  config?: string | LoadedSpec;
  /** Model to simulate; the spec's first by default. */
  model?: string;
  /** Events per ingest request. */
  batchSize?: number;
  seed?: number;
  /** Bearer token sent with every request (one of the exporter's `auth.write` tokens). */
  token?: string;
  /** Requests in flight at once; sized from the rate and the scenario's latency by default. */
  maxInFlight?: number;
  progressIntervalMs?: number;
  /** Called with what came of each request, its round-trip latency included (the demo's summary). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Called when the scenario enters a phase (the first one included), with the seconds since the start. */
  onPhase?: (phase: string, elapsedSeconds: number) => void;
  requestTimeoutMs?: number;
  /** Seconds between a prediction and its ground-truth label (models with a `quality` section only). */
  labelDelaySeconds?: number;
  /** Share of recorded predictions that get a label, from 0 (none) to 1. */
  labelCoverage?: number;
  /** Labels waiting at once; more are dropped and counted. */
  labelQueue?: number;
  /** Where labels go; the target by default (another replica shows joins across replicas). */
  labelTarget?: string;
  /**
   * Longest seconds between a prediction and its business outcomes (models with an `outcomes`
   * section only); by default the smaller of 10 s and the spec's attribution delay.
   */
  outcomeDelaySeconds?: number;
  /** Share of recorded predictions whose outcomes are tracked, from 0 (none) to 1. */
  outcomeCoverage?: number;
  /** Where outcomes go; the target by default. */
  outcomeTarget?: string;
  /** The truth labels are drawn from; by default the one in ground-truth-sources.ts that fits the model. */
  groundTruth?: GroundTruth;
  /** The labels' clock (Unix ms); tests pass their own. */
  now?: () => number;
  onProgress?: (progress: SimulationProgress) => void;
  /** Stops issuing new requests; the run then waits for those in flight and resolves. */
  signal?: AbortSignal;
}

/** What a finished simulation reports. */
export interface SimulationSummary extends SimulationCounts {
  readonly scenario: string;
  readonly mode: SimulationMode;
  readonly model: string;
  readonly rate: number;
  readonly durationSeconds: number;
  readonly elapsedSeconds: number;
  /** Events never sent: the run was stopped, or the target could not keep up before the deadline. */
  readonly unsent: number;
  readonly aborted: boolean;
  /** Reference rows left out for missing non-nullable features. */
  readonly skippedReferenceRows: number;
  readonly lastProblem: string | undefined;
  /** The labels sent and the quality they measured; undefined when the model gets none. */
  readonly labels?: LabelCounts | undefined;
  /** The outcomes sent and the rates the business produced; undefined when the model gets none. */
  readonly outcomes?: OutcomeCounts | undefined;
}

/** Checks a bounded positive number, naming the setting and the limit. */
export function checkBounded(name: string, value: number, max: number, unit = ''): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name}: expected a positive number, got ${value}`);
  if (value > max) throw new RangeError(`${name}: ${value}${unit} is above the limit of ${max}${unit}`);
  return value;
}

/** Expected time of one predict request without injected delay, in milliseconds. */
const ROUND_TRIP_ESTIMATE_MS = 25;

/** Default events per ingest request: up to 100, but at least four batches a second at low rates. */
export function defaultBatchSize(rate: number): number {
  return Math.max(1, Math.min(SIMULATION_DEFAULTS.batchSize, Math.ceil(rate / 4)));
}

/**
 * Default requests in flight: enough for predict mode to keep the rate while the
 * scenario's delays hold requests open (rate × expected latency, doubled for bursts).
 */
export function defaultMaxInFlight(mode: SimulationMode, rate: number, maxAddedLatencyMs: number): number {
  if (mode === 'ingest') return SIMULATION_DEFAULTS.minInFlight;
  // 25 ms: a round trip to the demo model on a busy machine, where express and the log take their share.
  const needed = Math.ceil(((rate * (ROUND_TRIP_ESTIMATE_MS + maxAddedLatencyMs)) / 1000) * 2);
  return Math.min(SIMULATION_LIMITS.maxInFlight, Math.max(SIMULATION_DEFAULTS.minInFlight, needed));
}
