import net from 'node:net';
import pino from 'pino';
import { startExporterServer, type ExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { FaultInjectionOffError } from '../../../cli/src/simulator/predict-sender';
import { runSimulation } from '../../../cli/src/simulator/run-simulation';
import type {
  SimulationMode,
  SimulationProgress,
  SimulationSummary,
} from '../../../cli/src/simulator/simulation-options';
import { simulationFailed, type DeliveryOutcome } from '../../../cli/src/simulator/simulation-tally';
import { Random } from '../../../cli/src/demo/random';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { findScenario } from '../../../cli/src/simulator/scenarios';
import { TrafficSource, type PlannedEvent } from '../../../cli/src/simulator/traffic-source';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { writeDemoSpec } from '../../support/demo-spec';
import { objectAt } from '../../support/document';

async function startExporter(faultInjection = true): Promise<ExporterServer & { specFile: string }> {
  const { file } = writeDemoSpec((s) => {
    objectAt(s, 'models', 0)['fault_injection'] = faultInjection;
  });
  const server = await startExporterServer({
    specFile: file,
    port: 0,
    host: '127.0.0.1',
    logToStdout: false,
    logger: pino({ level: 'silent' }),
  });
  return Object.assign(server, { specFile: file });
}

/** Sum of the samples of `name` whose labels include all of `labels`. */
function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

interface Run {
  summary: SimulationSummary;
  metrics: string;
  /** The events the run planned, replayed (see {@link plannedEvents}). */
  planned: PlannedEvent[];
  /** The phases onPhase reported, in order. */
  phases: string[];
  /** What onOutcome reported for each request. */
  outcomes: DeliveryOutcome[];
}

const RATE = 150;
const DURATION_SECONDS = 2;
const SEED = 3;

/**
 * The events a run of `scenario` plans: the simulator draws event i at i / total of the run from a
 * generator seeded by the run's seed, in index order, so replaying the traffic source gives exactly
 * the events it sends, whatever the timing.
 */
function plannedEvents(specFile: string, scenario: string, mode: SimulationMode, total: number, seed: number) {
  const loaded = loadSpec(specFile);
  const model = loaded.spec.models[0] as ModelSpec;
  const rows = loadReferenceRows(loaded.resolve(model.reference as string), model.features).rows;
  const source = new TrafficSource(model, rows, findScenario(scenario), new Random(seed), {
    alwaysPickVersion: mode === 'ingest',
  });
  return Array.from({ length: total }, (_, i) => source.next(i / total));
}

async function simulate(scenario: string, mode: SimulationMode): Promise<Run> {
  const exporter = await startExporter();
  const phases: string[] = [];
  const outcomes: DeliveryOutcome[] = [];
  try {
    const summary = await runSimulation({
      target: exporter.url,
      scenario,
      mode,
      rate: RATE,
      durationSeconds: DURATION_SECONDS,
      config: exporter.specFile,
      seed: SEED,
      onPhase: (phase) => phases.push(phase),
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    const planned = plannedEvents(exporter.specFile, scenario, mode, RATE * DURATION_SECONDS, SEED);
    return { summary, metrics: await scrape(exporter.url), planned, phases, outcomes };
  } finally {
    await exporter.shutdown();
  }
}

const MODES: SimulationMode[] = ['predict', 'ingest'];
const runs = new Map<string, Run>();

// Two runs at a time, each against its own exporter: all eight at once could starve a
// loaded two-core machine, and the rate assertions are only fair when the simulator keeps up.
beforeAll(async () => {
  const keys = ['errors', 'canary', 'latency', 'normal'].flatMap((scenario) =>
    MODES.map((mode) => [scenario, mode] as const),
  );
  for (let i = 0; i < keys.length; i += 2) {
    const pair = keys.slice(i, i + 2);
    const results = await Promise.all(pair.map(([scenario, mode]) => simulate(scenario, mode)));
    pair.forEach(([scenario, mode], j) => runs.set(`${scenario}/${mode}`, results[j] as Run));
  }
}, 60_000);

function run(scenario: string, mode: SimulationMode): Run {
  return runs.get(`${scenario}/${mode}`) as Run;
}

describe.each(MODES)('runSimulation in %s mode', (mode) => {
  test('sends rate × duration events, all counted by the exporter and none rejected, paced by the rate', () => {
    const { summary, metrics } = run('normal', mode);
    expect(summary).toMatchObject({ sent: 300, ok: 300, errors: 0, rejected: 0, failed: 0, unsent: 0, aborted: false });
    expect(metricSum(metrics, 'mlwatch_predictions_total', { model: 'fraud' })).toBe(300);
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
    // The last event is not due before sent / rate seconds: a lower bound of the schedule, not a speed.
    expect(summary.elapsedSeconds).toBeGreaterThanOrEqual(300 / RATE);
  });

  test('reports each phase of the scenario once as it begins, in order, and the round trip of every answered request', () => {
    const { summary, phases, outcomes } = run('canary', mode);
    expect(phases).toEqual(findScenario('canary').phases.map((phase) => phase.name));
    expect(outcomes.reduce((n, o) => n + o.ok + o.errors + o.rejected + o.failed, 0)).toBe(summary.sent);
    expect(outcomes.every((o) => o.latencyMs !== undefined && o.latencyMs > 0)).toBe(true);
  });

  test('the errors scenario produces exactly the planned failures as predictions with status "error", nothing rejected', () => {
    const { summary, metrics, planned } = run('errors', mode);
    expect(summary).toMatchObject({ sent: 300, rejected: 0, failed: 0, errors: planned.filter((e) => e.fail).length });
    expect(summary.ok + summary.errors).toBe(300);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { status: 'error' })).toBe(summary.errors);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { status: 'success' })).toBe(summary.ok);
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
    expect(simulationFailed(summary)).toBe(false);
  });

  test('the canary scenario sends the planned share of the traffic to v2, where all the errors are', () => {
    const { metrics, planned } = run('canary', mode);
    const v2 = planned.filter((e) => e.version === 'v2');
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v2' })).toBe(v2.length);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v1' })).toBe(300 - v2.length);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v1', status: 'error' })).toBe(0);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v2', status: 'error' })).toBe(
      v2.filter((e) => e.fail).length,
    );
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
  });

  test('the latency scenario makes the planned predictions slower than the 0.25 s SLO target', () => {
    const { summary, metrics, planned } = run('latency', mode);
    expect(summary).toMatchObject({ sent: 300, ok: 300, rejected: 0, failed: 0 });
    const count = metricSum(metrics, 'mlwatch_prediction_latency_seconds_count');
    const fast = metricSum(metrics, 'mlwatch_prediction_latency_seconds_bucket', { le: '0.25' });
    const delayed = planned.filter((e) => e.addedLatencyMs >= 250).length;
    expect(count).toBe(300);
    // Ingest events report their latency, so the count is exact; served predictions are timed on a real
    // server, where a stall could make an undelayed one slow too, but never a delayed one fast.
    if (mode === 'ingest') expect(count - fast).toBe(delayed);
    else expect(count - fast).toBeGreaterThanOrEqual(delayed);
  });
});

describe('runSimulation', () => {
  test('stops at the first refused fault with a clear message when predict mode needs faults and fault injection is off', async () => {
    const exporter = await startExporter(false);
    try {
      const rate = 100;
      const attempt = runSimulation({
        target: exporter.url,
        scenario: 'errors',
        mode: 'predict',
        rate,
        durationSeconds: 4,
        config: exporter.specFile,
        seed: SEED,
      });
      await expect(attempt).rejects.toThrow(FaultInjectionOffError);
      await expect(attempt).rejects.toThrow('set fault_injection: true on the model in the spec');
      const planned = plannedEvents(exporter.specFile, 'errors', 'predict', rate * 4, SEED);
      const firstFault = planned.findIndex((e) => e.fail);
      const served = metricSum(await scrape(exporter.url), 'mlwatch_predictions_total');
      // Every event before the first fault is served; after it only what was issued while its refusal was on
      // the way back (a round trip, far less than the second of traffic allowed here) instead of the rest of the run.
      expect(served).toBeGreaterThanOrEqual(firstFault);
      expect(served).toBeLessThan(firstFault + rate);
      expect(planned.filter((e) => !e.fail).length).toBeGreaterThan(firstFault + rate);
    } finally {
      await exporter.shutdown();
    }
  });

  test('an unreachable target counts every event as failed, which fails the run', async () => {
    const port = await closedPort();
    const { file } = writeDemoSpec();
    const summary = await runSimulation({
      target: `http://127.0.0.1:${port}`,
      scenario: 'normal',
      rate: 20,
      durationSeconds: 0.5,
      config: file,
    });
    expect(summary).toMatchObject({ sent: 10, ok: 0, failed: 10 });
    expect(summary.lastProblem).toContain('ECONNREFUSED');
    expect(simulationFailed(summary)).toBe(true);
  });

  test('reports progress while running and sends nothing more once aborted', async () => {
    const exporter = await startExporter();
    try {
      const controller = new AbortController();
      const progress: SimulationProgress[] = [];
      const summary = await runSimulation({
        target: exporter.url,
        scenario: 'drift',
        mode: 'ingest',
        rate: 100,
        durationSeconds: 10,
        config: exporter.specFile,
        progressIntervalMs: 200,
        onProgress: (p) => {
          progress.push(p);
          // Abort on the second report: what had been sent by then is all that is ever sent.
          if (progress.length === 2) controller.abort();
        },
        signal: controller.signal,
      });
      const atAbort = progress[1] as SimulationProgress;
      expect(summary.aborted).toBe(true);
      expect(summary.sent).toBe(atAbort.sent);
      expect(summary.unsent).toBe(1000 - summary.sent);
      expect(progress[0]).toMatchObject({ phase: 'normal', rejected: 0, failed: 0 });
      expect(progress[0]?.sent).toBeLessThanOrEqual(atAbort.sent);
    } finally {
      await exporter.shutdown();
    }
  });

  test.each([
    [{ rate: 20_001 }, 'rate: 20001/s is above the limit of 20000/s'],
    [{ durationSeconds: 86_401 }, 'duration: 86401 s is above the limit of 86400 s'],
    [{ scenario: 'nope' }, 'unknown scenario "nope"'],
    [{ model: 'credit' }, 'model: "credit" is not in'],
    [
      { mode: 'ingest' as const, batchSize: 10_001 },
      'batch size: 10001 events (exporter.max_batch_events) is above the limit of 10000',
    ],
  ])('refuses %p before sending anything', async (override, message) => {
    const { file } = writeDemoSpec();
    await expect(
      runSimulation({ target: 'http://127.0.0.1:1', scenario: 'normal', config: file, ...override }),
    ).rejects.toThrow(message);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
