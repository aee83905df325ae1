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
import { simulationFailed } from '../../../cli/src/simulator/simulation-tally';
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
}

async function simulate(scenario: string, mode: SimulationMode, rate = 150): Promise<Run> {
  const exporter = await startExporter();
  try {
    const summary = await runSimulation({
      target: exporter.url,
      scenario,
      mode,
      rate,
      durationSeconds: 2,
      config: exporter.specFile,
      seed: 3,
    });
    return { summary, metrics: await scrape(exporter.url) };
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
  test('sends rate × duration events, all counted by the exporter and none rejected', () => {
    const { summary, metrics } = run('normal', mode);
    expect(summary).toMatchObject({ sent: 300, ok: 300, errors: 0, rejected: 0, failed: 0, unsent: 0, aborted: false });
    expect(metricSum(metrics, 'mlwatch_predictions_total', { model: 'fraud' })).toBe(300);
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
    expect(summary.elapsedSeconds).toBeGreaterThan(1.9);
    expect(summary.elapsedSeconds).toBeLessThan(4);
  });

  test('the errors scenario produces predictions with status "error" and nothing rejected', () => {
    const { summary, metrics } = run('errors', mode);
    expect(summary.errors).toBeGreaterThan(20);
    expect(summary).toMatchObject({ sent: 300, rejected: 0, failed: 0 });
    expect(summary.ok + summary.errors).toBe(300);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { status: 'error' })).toBe(summary.errors);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { status: 'success' })).toBe(summary.ok);
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
    expect(simulationFailed(summary)).toBe(false);
  });

  test('the canary scenario sends about half of the traffic to v2, where the errors are', () => {
    const { summary, metrics } = run('canary', mode);
    const v2 = metricSum(metrics, 'mlwatch_predictions_total', { version: 'v2' });
    expect(v2 / summary.sent).toBeGreaterThan(0.35);
    expect(v2 / summary.sent).toBeLessThan(0.65);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v1', status: 'error' })).toBe(0);
    expect(metricSum(metrics, 'mlwatch_predictions_total', { version: 'v2', status: 'error' })).toBeGreaterThan(0);
    expect(metricSum(metrics, 'mlwatch_rejected_events_total')).toBe(0);
  });

  test('the latency scenario makes some predictions slower than the 0.25 s SLO target', () => {
    const { summary, metrics } = run('latency', mode);
    expect(summary).toMatchObject({ sent: 300, ok: 300, rejected: 0, failed: 0 });
    const count = metricSum(metrics, 'mlwatch_prediction_latency_seconds_count');
    const fast = metricSum(metrics, 'mlwatch_prediction_latency_seconds_bucket', { le: '0.25' });
    expect(count).toBe(300);
    expect(count - fast).toBeGreaterThan(40);
  });
});

describe('runSimulation', () => {
  test('stops early with a clear message when predict mode needs faults and the exporter has fault injection off', async () => {
    const exporter = await startExporter(false);
    try {
      const started = Date.now();
      const attempt = runSimulation({
        target: exporter.url,
        scenario: 'errors',
        mode: 'predict',
        rate: 100,
        durationSeconds: 4,
        config: exporter.specFile,
      });
      await expect(attempt).rejects.toThrow(FaultInjectionOffError);
      await expect(attempt).rejects.toThrow('set fault_injection: true on the model in the spec');
      expect(Date.now() - started).toBeLessThan(3500);
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

  test('reports progress while running and stops sending when aborted', async () => {
    const exporter = await startExporter();
    try {
      const controller = new AbortController();
      const progress: SimulationProgress[] = [];
      setTimeout(() => controller.abort(), 600);
      const summary = await runSimulation({
        target: exporter.url,
        scenario: 'drift',
        mode: 'ingest',
        rate: 100,
        durationSeconds: 10,
        config: exporter.specFile,
        progressIntervalMs: 200,
        onProgress: (p) => progress.push(p),
        signal: controller.signal,
      });
      expect(summary.aborted).toBe(true);
      expect(summary.sent).toBeLessThan(100);
      expect(summary.unsent).toBe(1000 - summary.sent);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[0]).toMatchObject({ phase: 'normal', rejected: 0, failed: 0 });
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
