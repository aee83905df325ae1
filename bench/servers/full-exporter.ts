/**
 * The real exporter as the benchmark's server: `startExporterServer` on a spec file,
 * exactly what `mlwatch serve` runs. The parent sends stdout (the prediction log) to /dev/null.
 * With MLWATCH_BENCH_REPORT=<ms> set it also prints its memory and event-loop delay to stderr
 * at that interval (bench/support/process-report.ts; the soak bench reads them).
 *
 * Usage: node full-exporter.js <spec file> <port>
 */
import { startExporterServer } from '../../exporter/src/runtime/exporter-server';
import { startProcessReportFromEnv } from '../support/process-report';

async function main(): Promise<void> {
  const [specFile, portText] = process.argv.slice(2);
  if (specFile === undefined || portText === undefined) throw new Error('usage: full-exporter.js <spec file> <port>');
  const server = await startExporterServer({
    specFile,
    port: Number(portText),
    host: '127.0.0.1',
    drainTimeoutMs: 2000,
  });
  startProcessReportFromEnv();
  process.once('SIGTERM', () => {
    void server.shutdown().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
