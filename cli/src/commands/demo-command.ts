import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEFAULT_EXPORTER_PORT } from '../../../spec/src/conventions';
import { startExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { createOpsLogger } from '../../../exporter/src/runtime/ops-logger';
import { FaultInjectionOffError } from '../simulator/predict-sender';
import { labelOptions } from './simulate-command';
import { runSimulation } from '../simulator/run-simulation';
import {
  describeLabelSummary,
  describeOutcomeSummary,
  describePhase,
  describeProgress,
  describeSummary,
} from '../simulator/simulation-report';
import { SCENARIO_NAMES } from '../simulator/scenarios';
import { SIMULATION_LIMITS, SIMULATION_MODES, type SimulationMode } from '../simulator/simulation-options';
import { UsageError, parsePort, parsePositiveNumber, type Command } from '../command';
import { demoSpecFile, describeDemoSpec, runbooksFile } from '../package-root';
import { DEMO_SUMMARY_INTERVAL_SECONDS, LatencyWindow, describeDemoSummary } from '../simulator/demo-summary';
import type { SimulationCounts } from '../simulator/simulation-tally';
import type { LabelCounts } from '../simulator/label-feed';

const DEMO_DEFAULTS = { scenario: 'normal', mode: 'predict' as SimulationMode, rate: 50, durationSeconds: 300 };

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the exporter and the traffic simulator together',
  usage: `Usage: mlwatch demo [--scenario normal] [--mode predict|ingest] [--rate 50] [--duration 300]
                   [--config FILE] [--port ${DEFAULT_EXPORTER_PORT}] [--label-delay 10s] [--label-coverage 0.8]

Starts the exporter on the spec (--config; else ./mlwatch.yaml; else the demo spec
shipped with mlwatch) and drives it with the simulator, printing where
to look (/metrics, the prediction log) and the simulator's progress. The
prediction log goes to its file only, so the terminal stays readable.
Scenarios: ${SCENARIO_NAMES.join(', ')}. The latency, errors and canary scenarios
in predict mode need fault_injection: true on the model; ingest mode needs nothing.
A model with a quality section gets ground-truth labels (--label-coverage of its
predictions, --label-delay later); the summaries then say how many were sent and
joined and the accuracy they measured (the quality scenario makes it fall). A
model with an outcomes section gets business outcomes too (the canary scenario makes
the canary convert a third worse); the closing lines give their rates per version.
Ctrl-C stops both early. Exit code 0 when the run went through.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        scenario: { type: 'string', default: DEMO_DEFAULTS.scenario },
        mode: { type: 'string', default: DEMO_DEFAULTS.mode },
        rate: { type: 'string' },
        duration: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        'label-delay': { type: 'string' },
        'label-coverage': { type: 'string' },
      },
      strict: true,
    });
    if (!(SIMULATION_MODES as readonly string[]).includes(values.mode))
      throw new UsageError(`--mode: expected predict or ingest, got ${JSON.stringify(values.mode)}`);
    if (!SCENARIO_NAMES.includes(values.scenario))
      throw new UsageError(
        `--scenario: expected one of ${SCENARIO_NAMES.join(', ')}, got ${JSON.stringify(values.scenario)}`,
      );
    const rate = Math.min(parsePositiveNumber('rate', values.rate, DEMO_DEFAULTS.rate), SIMULATION_LIMITS.maxRate);
    const durationSeconds = Math.min(
      parsePositiveNumber('duration', values.duration, DEMO_DEFAULTS.durationSeconds),
      SIMULATION_LIMITS.maxDurationSeconds,
    );

    const spec = demoSpecFile(values.config);
    console.log(
      `mlwatch demo: starting the exporter on ${describeDemoSpec(spec)} (loading the model artifacts, profiling the reference sample)…`,
    );
    const server = await startExporterServer({
      specFile: spec.file,
      runbooksFile: runbooksFile(),
      host: '127.0.0.1',
      logToStdout: false,
      // The demo's own lines say where things are; only problems belong on stderr here.
      logger: createOpsLogger('warn'),
      ...(values.port === undefined ? {} : { port: parsePort(values.port) }),
    });
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    printWhereToLook(
      describeDemoSpec(spec),
      server.url,
      server.current.logFile,
      values.scenario,
      values.mode,
      rate,
      durationSeconds,
    );
    const model = server.current.loaded.spec.models[0]?.name ?? '';
    const latencies = new LatencyWindow();
    let lastSummarySeconds = 0;
    const summarize = (elapsedSeconds: number, counts: SimulationCounts & { labels?: LabelCounts }): void => {
      lastSummarySeconds = elapsedSeconds;
      const drift = server.current.deps.driftMonitor.latest(model);
      console.log(
        describeDemoSummary({ elapsedSeconds, counts, latenciesMs: latencies.take(), drift, labels: counts.labels }),
      );
    };
    try {
      const summary = await runSimulation({
        target: server.url,
        scenario: values.scenario,
        mode: values.mode as SimulationMode,
        rate,
        durationSeconds,
        config: server.current.loaded,
        ...labelOptions(values),
        signal: controller.signal,
        onOutcome: (outcome) => latencies.add(outcome),
        onPhase: (phase, elapsed) => console.log(describePhase(phase, elapsed)),
        onProgress: (progress) => {
          console.log(describeProgress(progress));
          if (progress.elapsedSeconds - lastSummarySeconds >= DEMO_SUMMARY_INTERVAL_SECONDS)
            summarize(progress.elapsedSeconds, progress);
        },
      });
      const labels = describeLabelSummary(summary);
      if (labels !== undefined) console.log(labels);
      const outcomes = describeOutcomeSummary(summary);
      if (outcomes !== undefined) console.log(outcomes);
      console.log(describeSummary(summary));
      summarize(summary.elapsedSeconds, summary);
      return summary.ok > 0 ? 0 : 1;
    } catch (error) {
      if (!(error instanceof FaultInjectionOffError)) throw error;
      console.error(
        `mlwatch demo: ${error.message}\n(or run: npm run demo -- --scenario ${values.scenario} --mode ingest)`,
      );
      return 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await server.shutdown();
    }
  },
};

function printWhereToLook(
  spec: string,
  url: string,
  logFile: string | null,
  scenario: string,
  mode: string,
  rate: number,
  durationSeconds: number,
): void {
  const log = logFile === null ? '(off: logging.file is null)' : path.relative(process.cwd(), logFile) || logFile;
  console.log(`mlwatch demo
  spec            ${spec}
  exporter        ${url}
  metrics         ${url}/metrics
  predict         curl -s ${url}/predict -H 'content-type: application/json' -d '{"features": {...}}'
  prediction log  ${log}
  simulator       scenario ${scenario}, ${mode} mode, ${rate} events/s for ${durationSeconds} s (Ctrl-C stops)
`);
}
