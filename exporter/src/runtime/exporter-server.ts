import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import { loadModelProfiles } from './model-profiles';
import type { AppDeps, Readiness } from '../http/app-deps';
import type { DriftMonitor } from '../drift/drift-monitor';
import { buildExporter } from './build-exporter';
import { loadRunbooks } from './load-runbooks';
import { exposureProblem } from './exposure';
import { createOpsLogger } from './ops-logger';
import type { AuthTokens } from '../auth/load-tokens';
import { packageVersion } from './package-version';
import { Snapshotter } from './snapshotter';
import type { StateStore } from '../state/state-store';
import { StateMetrics } from '../metrics/state-metrics';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import type { PromMetric } from '../metrics/prom-metric';

export interface ExporterServerOptions {
  specFile: string;
  port?: number;
  host?: string;
  /** Overrides the spec's `logging.stdout`, e.g. when the demo keeps the terminal for itself. */
  logToStdout?: boolean;
  logger?: Logger;
  /** How long shutdown waits for in-flight requests before cutting them off. */
  drainTimeoutMs?: number;
  /** Where `auth.*.token_env` variables are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  /** The `version` label of `mlwatch_build_info`; the package's version by default. */
  version?: string;
  /** alerting/runbooks.md, served at `/runbooks` and read again on every reload; without it those routes answer 404. */
  runbooksFile?: string;
}

/** A listening exporter and the way to stop it. */
export interface ExporterServer {
  readonly url: string;
  /** The spec, app and dependencies in use now; a reload replaces them. */
  readonly current: BuiltState;
  /** The snapshot and reload metrics, which outlive every generation. */
  readonly stateMetrics: StateMetrics;
  readonly runtimeMetrics: RuntimeMetrics;
  /**
   * Stops accepting, finishes in-flight requests, writes a last state snapshot and flushes the
   * prediction log; resolves true when nothing was cut off.
   */
  shutdown(): Promise<boolean>;
  /**
   * Re-reads the spec and the reference profiles and swaps them in. Models whose spec section
   * and profile did not change keep their drift windows, verdicts and counters; a changed
   * model starts again from zero. On any error the running state is kept, the error is logged
   * and returned, and `mlwatch_config_last_reload_successful` drops to 0.
   */
  reload(): Promise<Error | undefined>;
  /** Writes a state snapshot now; resolves true when written (or when `state.dir` is null). */
  snapshot(): Promise<boolean>;
  /**
   * Opens the prediction log file again at its path before the next write (log rotation:
   * SIGUSR2, or logrotate's `postrotate`). Nothing else changes: no counter, window or line is lost.
   */
  reopenLog(): void;
}

/** One generation of the exporter: what a spec file and its profiles built. */
export interface BuiltState {
  readonly loaded: LoadedSpec;
  readonly app: Express;
  readonly deps: AppDeps & { readiness: Readiness; driftMonitor: DriftMonitor; auth: AuthTokens };
  readonly logFile: string | null;
  readonly state: StateStore;
}

/** Loads the spec and artifacts, builds the app and listens; the CLI's `serve` and the tests both start here. */
export async function startExporterServer(options: ExporterServerOptions): Promise<ExporterServer> {
  const logger = options.logger ?? createOpsLogger();
  const stateMetrics = new StateMetrics();
  const runtimeMetrics = new RuntimeMetrics(options.version ?? packageVersion(), Date.now());
  const processMetrics = [...stateMetrics.metrics(), ...runtimeMetrics.metrics()];
  let current = await buildState(options, logger, processMetrics);
  const host = options.host ?? current.loaded.spec.exporter.host;
  const refusal = exposureProblem(host, current.loaded.spec, current.deps.auth);
  if (refusal !== undefined) {
    await retire(current);
    throw new Error(refusal);
  }
  const snapshotter = new Snapshotter({
    file: () => snapshotFile(current.loaded, options),
    store: () => current.state,
    intervalMs: () => current.loaded.spec.state.snapshot_interval_seconds * 1000,
    metrics: stateMetrics,
    logger,
  });
  await snapshotter.restoreInto(current.state);
  // Requests go to whichever generation is current, so a reload swaps it without closing the socket.
  const port = options.port ?? current.loaded.spec.exporter.port;
  const server = await listen(
    createServer((req, res) => {
      current.app(req, res);
    }),
    port,
    host,
  );
  current.deps.readiness.ready = true;
  current.deps.driftMonitor.start();
  snapshotter.start();
  const bound = server.address() as AddressInfo;
  const url = urlOf(bound);
  logger.info(
    {
      address: bound.address,
      port: bound.port,
      url,
      models: current.loaded.spec.models.map((m) => m.name),
      logFile: current.logFile,
      auth: describeAuth(current.deps.auth),
    },
    `exporter listening on ${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`,
  );

  let stopping: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    stopping ??= drain(server, current.deps.readiness, options.drainTimeoutMs ?? 10_000).then(async (clean) => {
      snapshotter.stop();
      await current.deps.driftMonitor.stop();
      // After the last request, so the final snapshot holds every event that was answered.
      await snapshotter.writeNow();
      await retire(current);
      logger.info({ clean }, 'exporter stopped');
      return clean;
    });
    return stopping;
  };
  const reload = async (): Promise<Error | undefined> => {
    let next: BuiltState;
    try {
      next = await buildState(options, logger, processMetrics);
      const problem = exposureProblem(host, next.loaded.spec, next.deps.auth);
      if (problem !== undefined) {
        await retire(next);
        throw new Error(problem);
      }
    } catch (error) {
      runtimeMetrics.reloaded(false, Date.now());
      logger.error({ err: error }, `reload failed, keeping the running spec and profiles: ${(error as Error).message}`);
      return error as Error;
    }
    const previous = current;
    warnAboutRestartOnlySettings(previous.loaded, next.loaded, options, port, logger);
    // Capture and swap in one turn, so no event lands in the old generation after its capture.
    const problems = next.state.restore(previous.state.capture(Date.now(), 'reload'), Date.now());
    for (const problem of problems) logger.info({ reason: problem.reason }, `reload: ${problem.detail}`);
    next.deps.readiness.ready = true;
    next.deps.driftMonitor.start();
    current = next;
    runtimeMetrics.reloaded(true, Date.now());
    await retire(previous);
    snapshotter.start();
    logger.info({ models: next.loaded.spec.models.map((m) => m.name) }, 'reloaded the spec and reference profiles');
    return undefined;
  };
  const reopenLog = (): void => {
    logger.info({ logFile: current.logFile }, 'reopening the prediction log file');
    current.deps.predictionLog.reopen();
  };
  return {
    url,
    get current() {
      return current;
    },
    stateMetrics,
    runtimeMetrics,
    shutdown,
    reload,
    snapshot: () => snapshotter.writeNow(),
    reopenLog,
  };
}

/** The snapshot file of a spec: one per port, so the replicas of `mlwatch stack` sharing a spec do not overwrite each other. */
export function snapshotFile(loaded: LoadedSpec, options: Pick<ExporterServerOptions, 'port'>): string | null {
  const { state, exporter } = loaded.spec;
  if (state.dir === null) return null;
  return path.join(loaded.resolve(state.dir), `exporter-${options.port ?? exporter.port}.snapshot.json`);
}

/** Settings a reload cannot apply to an open socket: said loudly, so nobody believes they took effect. */
function warnAboutRestartOnlySettings(
  previous: LoadedSpec,
  next: LoadedSpec,
  options: ExporterServerOptions,
  listeningPort: number,
  logger: Logger,
): void {
  const before = previous.spec.exporter.port;
  const after = next.spec.exporter.port;
  if (options.port === undefined && after !== before) {
    logger.warn(
      { from: before, to: after },
      `exporter.port changed from ${before} to ${after}: this needs a restart; the exporter keeps listening on ${listeningPort}`,
    );
  }
  const hostBefore = previous.spec.exporter.host;
  const hostAfter = next.spec.exporter.host;
  if (options.host === undefined && hostAfter !== hostBefore) {
    logger.warn(
      { from: hostBefore, to: hostAfter },
      `exporter.host changed from ${hostBefore} to ${hostAfter}: this needs a restart; the exporter keeps listening on ${hostBefore}`,
    );
  }
}

async function buildState(
  options: ExporterServerOptions,
  logger: Logger,
  processMetrics: readonly PromMetric[],
): Promise<BuiltState> {
  const loaded = loadSpec(options.specFile);
  const profiles = await loadModelProfiles(loaded);
  const runbooks = loadRunbooks(options.runbooksFile, logger);
  const built = buildExporter(loaded, {
    logger,
    profiles,
    processMetrics,
    ...(runbooks === undefined ? {} : { runbooks }),
    ...(options.logToStdout === undefined ? {} : { logToStdout: options.logToStdout }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return { loaded, ...built };
}

/** Stops a generation's background work and closes its log and join store. */
async function retire(state: BuiltState): Promise<void> {
  await state.deps.driftMonitor.stop();
  await state.deps.predictionLog.close();
  await state.deps.joins?.close();
}

/** What the start-up log says about authentication: token counts, never tokens. */
function describeAuth(auth: AuthTokens): Record<string, string> {
  const describe = (size: number) => (size === 0 ? 'open' : `${size} token${size === 1 ? '' : 's'}`);
  return { write: describe(auth.write.size), read: describe(auth.read.size) };
}

/** The URL a client on this machine uses: a wildcard address is reached through loopback. */
function urlOf(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return `http://127.0.0.1:${address.port}`;
  return address.family === 'IPv6'
    ? `http://[${address.address}]:${address.port}`
    : `http://${address.address}:${address.port}`;
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error) =>
      reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error })),
    );
  });
}

/** Refuses new connections, lets in-flight requests finish, and cuts off whatever is left after the timeout. */
function drain(server: Server, readiness: Readiness, timeoutMs: number): Promise<boolean> {
  readiness.ready = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve(true);
    });
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}
