import { setTimeout as sleep } from 'node:timers/promises';
import type { DelayedFeed } from './delayed-feed';
import type { Due } from './delayed-queue';
import { SimulationStopError } from './post-json';
import { prepareSimulation, type SimulationSetup } from './simulation-setup';
import {
  SIMULATION_DEFAULTS,
  type SimulationOptions,
  type SimulationProgress,
  type SimulationSummary,
} from './simulation-options';
import { SimulationTally, type DeliveryOutcome } from './simulation-tally';

/** Longest nap between scheduling rounds; short enough to notice an abort quickly. */
const MAX_TICK_MS = 50;
/** Nap while every request slot is busy. */
const BUSY_TICK_MS = 2;
/** A run that falls behind may overrun its duration by this share (at least 2 s) before it gives up on the rest. */
const DEADLINE_GRACE_SHARE = 0.1;
const MIN_DEADLINE_GRACE_MS = 2000;

/**
 * Sends a scenario's traffic to an exporter at a steady rate for a bounded time and
 * resolves with the totals; rejects with FaultInjectionOffError when predict mode
 * needs injected faults that the exporter refuses.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const setup = prepareSimulation(options);
  return drive(setup, options);
}

/** Mutable state of one run's scheduling loop. */
interface RunState {
  issued: number;
  phase: string;
  stopError: Error | undefined;
  readonly inFlight: Set<Promise<void>>;
  readonly tally: SimulationTally;
  readonly startedMs: number;
  readonly onOutcome: ((outcome: DeliveryOutcome) => void) | undefined;
  readonly onPhase: ((phase: string, elapsedSeconds: number) => void) | undefined;
}

async function drive(setup: SimulationSetup, options: SimulationOptions): Promise<SimulationSummary> {
  const state: RunState = {
    issued: 0,
    phase: setup.scenario.phases[0]?.name ?? '',
    stopError: undefined,
    inFlight: new Set(),
    tally: new SimulationTally(),
    startedMs: performance.now(),
    onOutcome: options.onOutcome,
    onPhase: options.onPhase,
  };
  const progressTimer = startProgress(setup, state, options);
  const durationMs = setup.durationSeconds * 1000;
  const deadlineMs = durationMs + Math.max(MIN_DEADLINE_GRACE_MS, durationMs * DEADLINE_GRACE_SHARE);
  const feeds = followUpFeeds(setup);
  try {
    while (state.issued < setup.totalEvents && options.signal?.aborted !== true && state.stopError === undefined) {
      const elapsedMs = performance.now() - state.startedMs;
      if (elapsedMs > deadlineMs) break;
      issueDue(setup, state, elapsedMs);
      for (const feed of feeds) {
        feed.pump();
        state.stopError ??= feed.stopError;
      }
      await sleep(napMs(setup, state, performance.now() - state.startedMs));
    }
    // Requests in flight finish (or time out) so that their outcomes are counted.
    while (state.inFlight.size > 0) await Promise.all([...state.inFlight]);
    await finishFollowUps(feeds, state, options.signal?.aborted === true);
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
  }
  if (state.stopError !== undefined) throw state.stopError;
  return summarize(setup, state, options.signal?.aborted === true);
}

/** The feeds of events that follow predictions after a delay: labels, outcomes. */
function followUpFeeds(setup: SimulationSetup): DelayedFeed<Due>[] {
  return [setup.labels, setup.outcomes].filter((feed) => feed !== undefined);
}

/**
 * The labels and outcomes still waiting go out now rather than one delay later, so a run ends on
 * time with every one sent; a stopped run (or one refused for good) sends no more and counts them.
 */
async function finishFollowUps(feeds: readonly DelayedFeed<Due>[], state: RunState, aborted: boolean): Promise<void> {
  for (const feed of feeds) {
    if (aborted || state.stopError !== undefined) {
      feed.abandon();
      await feed.settled();
    } else {
      await feed.finish();
    }
    state.stopError ??= feed.stopError;
  }
}

/** Sends every batch that is due by now, as far as free request slots allow. */
function issueDue(setup: SimulationSetup, state: RunState, elapsedMs: number): void {
  const due = Math.min(setup.totalEvents, Math.floor((elapsedMs / 1000) * setup.rate));
  while (state.inFlight.size < setup.maxInFlight && state.stopError === undefined) {
    const count = Math.min(setup.batchSize, setup.totalEvents - state.issued);
    // A batch goes out whole, once its last event is due.
    if (count <= 0 || state.issued + count > due) return;
    const { phase, done } = setup.dispatcher.dispatch(state.issued, count);
    if (phase !== state.phase || state.issued === 0) state.onPhase?.(phase, elapsedMs / 1000);
    state.phase = phase;
    state.issued += count;
    state.tally.addSent(count);
    track(state, done, count);
  }
}

function track(state: RunState, done: Promise<DeliveryOutcome>, count: number): void {
  const settled: Promise<void> = done
    .then(
      (outcome) => {
        state.tally.add(outcome);
        state.onOutcome?.(outcome);
      },
      (error: unknown) => {
        if (error instanceof SimulationStopError) state.stopError ??= error;
        else state.tally.add({ ok: 0, errors: 0, rejected: 0, failed: count, problem: (error as Error).message });
      },
    )
    .finally(() => state.inFlight.delete(settled));
  state.inFlight.add(settled);
}

/** How long to wait before the next batch is due, between 1 ms and MAX_TICK_MS. */
function napMs(setup: SimulationSetup, state: RunState, elapsedMs: number): number {
  if (state.inFlight.size >= setup.maxInFlight) return BUSY_TICK_MS;
  const nextDueMs = ((state.issued + setup.batchSize) / setup.rate) * 1000;
  return Math.min(MAX_TICK_MS, Math.max(1, nextDueMs - elapsedMs));
}

function startProgress(
  setup: SimulationSetup,
  state: RunState,
  options: SimulationOptions,
): NodeJS.Timeout | undefined {
  const onProgress = options.onProgress;
  if (onProgress === undefined) return undefined;
  const timer = setInterval(
    () => onProgress(progressOf(setup, state)),
    options.progressIntervalMs ?? SIMULATION_DEFAULTS.progressIntervalMs,
  );
  // Progress reports alone must not keep the process alive.
  timer.unref();
  return timer;
}

function progressOf(setup: SimulationSetup, state: RunState): SimulationProgress {
  return {
    ...state.tally.snapshot(),
    phase: state.phase,
    labels: setup.labels?.counts(),
    outcomes: setup.outcomes?.counts(),
    elapsedSeconds: (performance.now() - state.startedMs) / 1000,
    inFlight: state.inFlight.size,
    lastProblem: state.tally.lastProblem,
  };
}

function summarize(setup: SimulationSetup, state: RunState, aborted: boolean): SimulationSummary {
  return {
    ...state.tally.snapshot(),
    scenario: setup.scenario.name,
    mode: setup.mode,
    model: setup.model,
    rate: setup.rate,
    durationSeconds: setup.durationSeconds,
    elapsedSeconds: (performance.now() - state.startedMs) / 1000,
    unsent: setup.totalEvents - state.issued,
    aborted,
    skippedReferenceRows: setup.skippedReferenceRows,
    lastProblem: state.tally.lastProblem,
    labels: setup.labels?.counts(),
    outcomes: setup.outcomes?.counts(),
  };
}
