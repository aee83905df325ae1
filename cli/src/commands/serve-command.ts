import { parseArgs } from 'node:util';
import { startExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { parsePort, type Command } from '../command';
import { runbooksFile } from '../package-root';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the exporter (predict, ingest, /metrics)',
  usage: `Usage: mlwatch serve [--config mlwatch.yaml] [--port 9420] [--host 127.0.0.1]

Starts the exporter for the spec's models. The port comes from --port, then the
PORT environment variable, then exporter.port in the spec (default 9420). The
address comes from --host, then exporter.host (default 127.0.0.1, this machine
only); beyond loopback the write endpoints need auth.write tokens, or the spec
must say auth.allow_unauthenticated: true. The start-up log names the address
really bound.
SIGTERM or SIGINT stops accepting, finishes in-flight requests, flushes the
prediction log, writes a last state snapshot (state.dir) and exits 0. At start
the drift windows and verdicts of unchanged models come back from that snapshot.
SIGHUP re-reads the spec and the reference profiles (re-baselining after a
retrain); unchanged models keep their windows and counters, a changed port needs
a restart, and a reload that fails keeps the running state and logs why. SIGUSR2
reopens the prediction log file at its path (log rotation) and changes nothing
else.
GET /runbooks/<alert> serves that alert's runbook (alerting/runbooks.md) without
a token: the runbook_url of every alert points there under links.public_url.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string', default: 'mlwatch.yaml' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
      strict: true,
    });
    const portText = values.port ?? process.env['PORT'];
    const server = await startExporterServer({
      specFile: values.config,
      runbooksFile: runbooksFile(),
      ...(portText === undefined ? {} : { port: parsePort(portText) }),
      ...(values.host === undefined ? {} : { host: values.host }),
    });
    const reload = (): void => void server.reload();
    const reopenLog = (): void => server.reopenLog();
    process.on('SIGHUP', reload);
    process.on('SIGUSR2', reopenLog);
    return new Promise<number>((resolve) => {
      const stop = (): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        process.off('SIGHUP', reload);
        process.off('SIGUSR2', reopenLog);
        void server.shutdown().then((clean) => resolve(clean ? 0 : 1));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
};
