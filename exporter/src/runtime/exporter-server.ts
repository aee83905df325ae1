import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { loadSpec, type LoadedSpec } from '../../../spec/src/load-spec';
import { loadModelProfiles } from './model-profiles';
import type { AppDeps, Readiness } from '../http/app-deps';
import type { DriftMonitor } from '../drift/drift-monitor';
import { buildExporter } from './build-exporter';
import { createOpsLogger } from './ops-logger';

export interface ExporterServerOptions {
  specFile: string;
  port?: number;
  host?: string;
  /** Overrides the spec's `logging.stdout`, e.g. when the demo keeps the terminal for itself. */
  logToStdout?: boolean;
  logger?: Logger;
  /** How long shutdown waits for in-flight requests before cutting them off. */
  drainTimeoutMs?: number;
}

/** A listening exporter and the way to stop it. */
export interface ExporterServer {
  readonly url: string;
  /** The spec, app and dependencies in use now; a reload replaces them. */
  readonly current: BuiltState;
  /** Stops accepting, finishes in-flight requests, flushes the prediction log; resolves true when nothing was cut off. */
  shutdown(): Promise<boolean>;
  /**
   * Re-reads the spec and the reference profiles and swaps them in; on any error the
   * running state is kept and the error is logged and returned. Metrics start again
   * from zero, as after a restart (Prometheus's rate() and increase() handle the reset).
   */
  reload(): Promise<Error | undefined>;
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
  readonly deps: AppDeps & { readiness: Readiness; driftMonitor: DriftMonitor };
  readonly logFile: string | null;
}

/** Loads the spec and artifacts, builds the app and listens; the CLI's `serve` and the tests both start here. */
export async function startExporterServer(options: ExporterServerOptions): Promise<ExporterServer> {
  const logger = options.logger ?? createOpsLogger();
  let current = await buildState(options, logger);
  // Requests go to whichever generation is current, so a reload swaps it without closing the socket.
  const server = await listen(
    createServer((req, res) => {
      current.app(req, res);
    }),
    options.port ?? current.loaded.spec.exporter.port,
    options.host ?? '0.0.0.0',
  );
  current.deps.readiness.ready = true;
  current.deps.driftMonitor.start();
  const url = urlOf(server.address() as AddressInfo);
  logger.info(
    { url, models: current.loaded.spec.models.map((m) => m.name), logFile: current.logFile },
    'exporter listening',
  );

  let stopping: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    stopping ??= drain(server, current.deps.readiness, options.drainTimeoutMs ?? 10_000).then(async (clean) => {
      await retire(current);
      logger.info({ clean }, 'exporter stopped');
      return clean;
    });
    return stopping;
  };
  const reload = async (): Promise<Error | undefined> => {
    let next: BuiltState;
    try {
      next = await buildState(options, logger);
    } catch (error) {
      logger.error({ err: error }, `reload failed, keeping the running spec and profiles: ${(error as Error).message}`);
      return error as Error;
    }
    const previous = current;
    next.deps.readiness.ready = true;
    next.deps.driftMonitor.start();
    current = next;
    await retire(previous);
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
    shutdown,
    reload,
    reopenLog,
  };
}

async function buildState(options: ExporterServerOptions, logger: Logger): Promise<BuiltState> {
  const loaded = loadSpec(options.specFile);
  const profiles = await loadModelProfiles(loaded);
  const built = buildExporter(loaded, {
    logger,
    profiles,
    ...(options.logToStdout === undefined ? {} : { logToStdout: options.logToStdout }),
  });
  return { loaded, ...built };
}

/** Stops a generation's background work and closes its log. */
async function retire(state: BuiltState): Promise<void> {
  await state.deps.driftMonitor.stop();
  await state.deps.predictionLog.close();
}

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
