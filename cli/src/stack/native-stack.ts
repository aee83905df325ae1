import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProfileName } from '../../../alerting/src/generation-profile';
import type { StackTargets } from '../../../alerting/src/prometheus-config';
import { STACK_BINARIES, findExecutable } from './find-executable';
import { mlwatchCommand } from '../package-root';
import { alertmanagerArgs, exporterArgs, nodeExporterArgs, prometheusArgs, slackSinkArgs } from './part-commands';
import { SimulatorLoop, type TrafficPlan } from './simulator-loop';
import { writeStackFiles, type StackFiles } from './stack-files';
import { DEFAULT_BASE_PORT, portsFromBase, type StackPorts } from './stack-ports';
import { SupervisedProcess, describeExit } from './supervised-process';
import { waitHealthy } from './wait-healthy';
import { loadSpec } from '../../../spec/src/load-spec';
import type { SimulatorLabels, SimulatorOutcomes } from './part-commands';
import { stackOutcomePlan, type OutcomePlan } from './stack-outcomes';
import { labelReplica, stackLabelPlan, type LabelPlan } from './stack-labels';
import { redisArgs, stackUsesRedis, waitRedisReady } from './redis-part';

export interface NativeStackOptions {
  /** The user's spec; the stack runs a copy derived from it (see stack-spec). */
  readonly specFile: string;
  readonly profile: ProfileName;
  /** Exporter replicas, all scraped by the one Prometheus (default 1). */
  readonly replicas?: number;
  /** Default: counted from 19090 (see portsFromBase). */
  readonly ports?: StackPorts;
  /** Traffic started once every part is healthy; none when absent. */
  readonly traffic?: TrafficPlan;
  /**
   * Run a Redis for the label joins (default: when several replicas take labels, see
   * stackUsesRedis); `redis-server` must then be on PATH.
   */
  readonly redis?: boolean;
  /** Start node-exporter when it is on PATH (default true). */
  readonly nodeExporter?: boolean;
  readonly startTimeoutMs?: number;
  /** Gets every line the slack-sink prints: the notifications, as they arrive. */
  readonly onSlackLine?: (line: string) => void;
  /** Gets each scenario phase change of the first replica's simulator (the others run the same phases). */
  readonly onPhase?: (message: string) => void;
}

/** A part of the stack and the URL it answers on. */
export interface StackPart {
  readonly name: string;
  readonly url: string;
}

/** The traffic running now: its plan, when its first run started, and when that run ended. */
export interface TrafficRun {
  readonly plan: TrafficPlan;
  /** Unix ms at which the first replica's first run started sending. */
  readonly startedAtMs: Promise<number>;
  /** Resolves when every replica's first run of the scenario has ended (later runs repeat it). */
  readonly firstRunDone: Promise<void>;
}

export interface NativeStack {
  readonly files: StackFiles;
  readonly profile: ProfileName;
  /** Every part with its URL, in start order. */
  readonly parts: readonly StackPart[];
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly slackSinkUrl: string;
  readonly exporterUrls: readonly string[];
  readonly nodeExporterUrl: string | undefined;
  /** The Redis the replicas share for label joins, or undefined when the stack runs none. */
  readonly redisUrl: string | undefined;
  /** Resolves with the reason when a part dies on its own; the whole stack is stopped by then. */
  readonly died: Promise<string>;
  /** Replaces the traffic (undefined stops it); resolves once the old simulators are gone and the new ones started. */
  setTraffic(plan: TrafficPlan | undefined): Promise<TrafficRun | undefined>;
  /** Stops exporter replica `index` (SIGTERM, as an orchestrator would) and starts it again on the same port. */
  restartExporter(index: number): Promise<{ stopRequestedAtMs: number; readyAtMs: number }>;
  /** Stops the traffic, then every part; safe to call more than once. */
  stop(): Promise<void>;
}

/** Raised when the stack cannot start: a binary is missing, a part does not come up. */
export class StackError extends Error {
  override readonly name = 'StackError';
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

interface RunningPart {
  readonly process: SupervisedProcess;
  readonly url: string;
  /** Resolves once the part is ready to serve. */
  readonly ready: () => Promise<void>;
}

/**
 * Starts the native stack: slack-sink, exporter replicas, node-exporter (when installed),
 * Alertmanager and Prometheus from PATH, on loopback, from files generated into one
 * directory; then the traffic. Resolves once every part answers its health check.
 */
export async function startNativeStack(options: NativeStackOptions): Promise<NativeStack> {
  const prometheusBinary = findExecutable(STACK_BINARIES.prometheus);
  const alertmanagerBinary = findExecutable(STACK_BINARIES.alertmanager);
  const missing = [
    prometheusBinary === undefined ? 'prometheus' : '',
    alertmanagerBinary === undefined ? 'prometheus-alertmanager' : '',
  ].filter((m) => m !== '');
  if (prometheusBinary === undefined || alertmanagerBinary === undefined) {
    throw new StackError(
      `not on PATH: ${missing.join(', ')} (Debian: apt-get install prometheus prometheus-alertmanager; or use docker compose)`,
    );
  }
  const nodeExporterBinary = options.nodeExporter === false ? undefined : findExecutable(STACK_BINARIES.nodeExporter);
  const replicas = options.replicas ?? 1;
  const ports = options.ports ?? portsFromBase(DEFAULT_BASE_PORT, replicas);
  if (ports.exporters.length !== replicas)
    throw new StackError(`ports: ${ports.exporters.length} exporter port(s) for ${replicas} replica(s)`);
  const loopback = (port: number) => `127.0.0.1:${port}`;
  const targets: StackTargets = {
    exporters: ports.exporters.map(loopback),
    alertmanager: loopback(ports.alertmanager),
    prometheus: loopback(ports.prometheus),
    ...(nodeExporterBinary === undefined ? {} : { nodeExporter: loopback(ports.nodeExporter) }),
  };
  const sourceSpec = loadSpec(options.specFile).spec;
  const useRedis = options.redis ?? stackUsesRedis(sourceSpec, replicas);
  const redisBinary = useRedis ? findExecutable(STACK_BINARIES.redis) : undefined;
  if (useRedis && redisBinary === undefined) {
    throw new StackError(
      `not on PATH: redis-server, which ${replicas} replicas taking labels share as their join store (Debian: apt-get install redis-server)`,
    );
  }
  if (useRedis && ports.redis === undefined)
    throw new StackError('ports: no redis port for the shared label join store');
  const redisUrl = useRedis ? `redis://${loopback(ports.redis as number)}` : undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-stack-'));
  const slackSinkUrl = `http://${loopback(ports.slackSink)}`;
  const links = {
    publicUrl: `http://${loopback(ports.exporters[0] as number)}`,
    alertmanagerUrl: `http://${targets.alertmanager}`,
  };
  const files = writeStackFiles(dir, {
    sourceSpec: options.specFile,
    profile: options.profile,
    targets,
    slackSinkUrl,
    links,
    ...(redisUrl === undefined ? {} : { redisUrl }),
  });

  const cli = mlwatchCommand();
  const logFile = (name: string) => path.join(files.logDir, `${name}.log`);
  const exporterName = (index: number) => `exporter-${index}`;
  const startExporter = (index: number): SupervisedProcess =>
    new SupervisedProcess({
      name: exporterName(index),
      command: cli.command,
      args: [...cli.args, ...exporterArgs(files, ports.exporters[index] as number)],
      logFile: logFile(exporterName(index)),
    });

  const parts = new Map<string, RunningPart>();
  const expectedExits = new Set<SupervisedProcess>();
  let stopping: Promise<void> | undefined;
  let loops: SimulatorLoop[] = [];
  let reportDeath: (reason: string) => void = () => undefined;
  const died = new Promise<string>((resolve) => (reportDeath = resolve));

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
      await Promise.all([...parts.values()].map((part) => part.process.stop()));
    })();
    return stopping;
  };
  const fail = (reason: string): void => {
    if (stopping !== undefined) return;
    reportDeath(reason);
    void stop();
  };
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const add = (
    name: string,
    process: SupervisedProcess,
    url: string,
    healthPath: string,
    ready: () => Promise<void> = () => waitHealthy(process, `${url}${healthPath}`, timeoutMs),
  ): void => {
    parts.set(name, { process, url, ready });
    void process.exited.then((exit) => {
      if (stopping === undefined && !expectedExits.has(process))
        fail(`${name} exited on its own (${describeExit(exit)}); its log:\n${process.logTail()}`);
    });
  };

  if (redisBinary !== undefined && redisUrl !== undefined) {
    const port = ports.redis as number;
    const redis = new SupervisedProcess({
      name: 'redis',
      command: redisBinary,
      args: redisArgs(port),
      logFile: logFile('redis'),
    });
    add('redis', redis, redisUrl, '', () => waitRedisReady(redis, port, timeoutMs));
  }
  add(
    'slack-sink',
    new SupervisedProcess({
      name: 'slack-sink',
      command: cli.command,
      args: [...cli.args, ...slackSinkArgs(ports.slackSink)],
      logFile: logFile('slack-sink'),
      ...(options.onSlackLine === undefined ? {} : { onLine: options.onSlackLine }),
    }),
    slackSinkUrl,
    '/healthz',
  );
  ports.exporters.forEach((port, index) =>
    add(exporterName(index), startExporter(index), `http://${loopback(port)}`, '/readyz'),
  );
  if (nodeExporterBinary !== undefined) {
    add(
      'node-exporter',
      new SupervisedProcess({
        name: 'node-exporter',
        command: nodeExporterBinary,
        args: nodeExporterArgs(ports.nodeExporter),
        logFile: logFile('node-exporter'),
      }),
      `http://${targets.nodeExporter}`,
      '/metrics',
    );
  }
  add(
    'alertmanager',
    new SupervisedProcess({
      name: 'alertmanager',
      command: alertmanagerBinary,
      args: alertmanagerArgs(files, ports.alertmanager, links.alertmanagerUrl),
      logFile: logFile('alertmanager'),
    }),
    `http://${targets.alertmanager}`,
    '/-/ready',
  );
  add(
    'prometheus',
    new SupervisedProcess({
      name: 'prometheus',
      command: prometheusBinary,
      args: prometheusArgs(files, ports.prometheus),
      logFile: logFile('prometheus'),
    }),
    `http://${targets.prometheus}`,
    '/-/ready',
  );

  try {
    await Promise.all([...parts.values()].map((part) => part.ready()));
  } catch (error) {
    await stop();
    throw new StackError((error as Error).message, { cause: error });
  }

  const stackSpec = loadSpec(files.specFile).spec;
  const simulatorLabels = (plan: LabelPlan, index: number, labelIndex: number): SimulatorLabels =>
    labelIndex === index ? plan : { ...plan, target: `http://${loopback(ports.exporters[labelIndex] as number)}` };
  // Outcomes join to their prediction through the same store as labels, so they take the same way.
  const simulatorOutcomes = (plan: OutcomePlan, index: number, joinIndex: number): SimulatorOutcomes =>
    joinIndex === index ? plan : { ...plan, target: `http://${loopback(ports.exporters[joinIndex] as number)}` };
  const setTraffic = async (plan: TrafficPlan | undefined): Promise<TrafficRun | undefined> => {
    const previous = loops;
    loops = [];
    await Promise.all(previous.map((loop) => loop.stop()));
    if (plan === undefined || stopping !== undefined) return undefined;
    // One simulator per model and replica: the first model runs the plan, the others `plan.others`.
    loops = stackSpec.models.flatMap((model, m) => {
      const labelPlan =
        m === 0
          ? (plan.labels ?? stackLabelPlan(stackSpec, options.profile))
          : stackLabelPlan(stackSpec, options.profile, m);
      const outcomePlan =
        m === 0
          ? (plan.outcomes ?? stackOutcomePlan(stackSpec, options.profile))
          : stackOutcomePlan(stackSpec, options.profile, m);
      return ports.exporters.map((port, index) => {
        const rate = plan.rates[Math.min(index, plan.rates.length - 1)] as number;
        return new SimulatorLoop({
          name: m === 0 ? `simulator-${index}` : `simulator-${model.name}-${index}`,
          files,
          target: `http://${loopback(port)}`,
          ...(labelPlan === undefined
            ? {}
            : { labels: simulatorLabels(labelPlan, index, labelReplica(stackSpec, index, replicas)) }),
          ...(outcomePlan === undefined
            ? {}
            : { outcomes: simulatorOutcomes(outcomePlan, index, labelReplica(stackSpec, index, replicas)) }),
          ...(m === 0 ? {} : { model: model.name }),
          scenario: m === 0 ? plan.scenario : (plan.others?.scenario ?? plan.scenario),
          durationSeconds: plan.durationSeconds,
          rate: m === 0 ? rate : (plan.others?.rate ?? Math.max(1, Math.round(rate / 10))),
          seed: m * replicas + index + 1,
          seedStride: replicas * stackSpec.models.length,
          onFailure: fail,
          ...(m === 0 && index === 0 && options.onPhase !== undefined ? { onPhase: options.onPhase } : {}),
        });
      });
    });
    return {
      plan,
      startedAtMs: (loops[0] as SimulatorLoop).firstRunStartedAtMs,
      firstRunDone: Promise.all(loops.map((l) => l.firstRunDone)).then(() => undefined),
    };
  };

  const restartExporter = async (index: number): Promise<{ stopRequestedAtMs: number; readyAtMs: number }> => {
    const name = exporterName(index);
    const old = parts.get(name);
    if (old === undefined) throw new RangeError(`no exporter replica ${index} (the stack has ${replicas})`);
    expectedExits.add(old.process);
    const stopRequestedAtMs = Date.now();
    await old.process.stop();
    add(name, startExporter(index), old.url, '/readyz');
    await (parts.get(name) as RunningPart).ready();
    return { stopRequestedAtMs, readyAtMs: Date.now() };
  };

  if (options.traffic !== undefined) await setTraffic(options.traffic);
  const url = (name: string) => (parts.get(name) as RunningPart).url;
  return {
    files,
    profile: options.profile,
    parts: [...parts.entries()].map(([name, part]) => ({ name, url: part.url })),
    prometheusUrl: url('prometheus'),
    alertmanagerUrl: url('alertmanager'),
    slackSinkUrl,
    exporterUrls: ports.exporters.map((port) => `http://${loopback(port)}`),
    nodeExporterUrl: nodeExporterBinary === undefined ? undefined : url('node-exporter'),
    redisUrl,
    died,
    setTraffic,
    restartExporter,
    stop,
  };
}
