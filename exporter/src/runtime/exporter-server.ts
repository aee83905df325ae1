import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { loadSpec, type LoadedSpec } from '../config/load-spec';
import { loadModelProfiles } from '../drift/profile/model-profiles';
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
  readonly loaded: LoadedSpec;
  readonly deps: AppDeps & { driftMonitor: DriftMonitor };
  readonly logFile: string | null;
  /** Stops accepting, finishes in-flight requests, flushes the prediction log; resolves true when nothing was cut off. */
  shutdown(): Promise<boolean>;
}

/** Loads the spec and artifacts, builds the app and listens; the CLI's `serve` and the tests both start here. */
export async function startExporterServer(options: ExporterServerOptions): Promise<ExporterServer> {
  const logger = options.logger ?? createOpsLogger();
  const loaded = loadSpec(options.specFile);
  const profiles = await loadModelProfiles(loaded);
  const { app, deps, logFile } = buildExporter(loaded, {
    logger,
    profiles,
    ...(options.logToStdout === undefined ? {} : { logToStdout: options.logToStdout }),
  });
  const server = await listen(app, options.port ?? loaded.spec.exporter.port, options.host ?? '0.0.0.0');
  deps.readiness.ready = true;
  deps.driftMonitor.start();
  const url = urlOf(server.address() as AddressInfo);
  logger.info({ url, models: loaded.spec.models.map((m) => m.name), logFile }, 'exporter listening');

  let stopping: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    stopping ??= drain(server, deps.readiness, options.drainTimeoutMs ?? 10_000).then(async (clean) => {
      await deps.driftMonitor.stop();
      await deps.predictionLog.close();
      logger.info({ clean }, 'exporter stopped');
      return clean;
    });
    return stopping;
  };
  return { url, loaded, deps, logFile, shutdown };
}

function urlOf(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return `http://127.0.0.1:${address.port}`;
  return address.family === 'IPv6' ? `http://[${address.address}]:${address.port}` : `http://${address.address}:${address.port}`;
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error })));
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
