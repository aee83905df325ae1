import type { LabelPlan } from './stack-labels';
import type { OutcomePlan } from './stack-outcomes';
import type { StackFiles } from './stack-files';

/** Retention of the native stack's Prometheus; its data lives in a temp directory anyway. */
const PROMETHEUS_RETENTION = '1d';

/** Prometheus on loopback with the generated config; lifecycle API on, so `POST /-/reload` picks up regenerated rules. */
export function prometheusArgs(files: StackFiles, port: number): string[] {
  return [
    `--config.file=${files.prometheusConfig}`,
    `--storage.tsdb.path=${files.prometheusData}`,
    `--storage.tsdb.retention.time=${PROMETHEUS_RETENTION}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.enable-lifecycle`,
  ];
}

/**
 * Alertmanager on loopback; clustering off, or it would claim port 9094 and look for peers.
 * Its external URL (the spec's `links.alertmanager_url`) is where the silence links of its
 * notifications lead; without it Alertmanager would name this machine's hostname there.
 */
export function alertmanagerArgs(files: StackFiles, port: number, externalUrl: string): string[] {
  return [
    `--config.file=${files.alertmanagerConfig}`,
    `--storage.path=${files.alertmanagerData}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${externalUrl}`,
    '--cluster.listen-address=',
  ];
}

export function nodeExporterArgs(port: number): string[] {
  return [`--web.listen-address=127.0.0.1:${port}`];
}

/** `mlwatch serve` arguments (after the CLI script) for one replica. */
export function exporterArgs(files: StackFiles, port: number): string[] {
  return ['serve', '--config', files.specFile, '--port', String(port), '--host', '127.0.0.1'];
}

export function slackSinkArgs(port: number): string[] {
  return ['slack-sink', '--port', String(port), '--host', '127.0.0.1'];
}

/**
 * `mlwatch simulate` arguments for one run against one replica. Ingest mode: the simulator
 * acts as an external model server, so error and latency scenarios need no fault injection.
 */
export function simulatorArgs(
  files: StackFiles,
  target: string,
  run: {
    scenario: string;
    durationSeconds: number;
    rate: number;
    seed: number;
    labels?: SimulatorLabels;
    outcomes?: SimulatorOutcomes;
    /** The model to drive; the spec's first when absent. */
    model?: string;
  },
): string[] {
  const { labels, outcomes } = run;
  return [
    'simulate',
    '--config',
    files.specFile,
    '--target',
    target,
    '--scenario',
    run.scenario,
    '--mode',
    'ingest',
    '--rate',
    String(run.rate),
    '--duration',
    String(run.durationSeconds),
    '--seed',
    String(run.seed),
    '--token-file',
    files.writeTokenFile,
    ...(run.model === undefined ? [] : ['--model', run.model]),
    ...(labels === undefined
      ? []
      : [
          '--label-delay',
          `${labels.delaySeconds}s`,
          '--label-coverage',
          String(labels.coverage),
          ...(labels.target === undefined ? [] : ['--label-target', labels.target]),
        ]),
    ...(outcomes === undefined
      ? []
      : [
          '--outcome-delay',
          `${outcomes.delaySeconds}s`,
          '--outcome-coverage',
          String(outcomes.coverage),
          ...(outcomes.target === undefined ? [] : ['--outcome-target', outcomes.target]),
        ]),
  ];
}

/** The label options of one simulator: timing, and another replica to send them to, if any. */
export interface SimulatorLabels extends LabelPlan {
  readonly target?: string;
}

/** The outcome options of one simulator: timing, and another replica to send them to, if any. */
export interface SimulatorOutcomes extends OutcomePlan {
  readonly target?: string;
}
