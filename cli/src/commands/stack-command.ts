import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PROFILE_NAMES, type ProfileName } from '../../../alerting/src/generation-profile';
import { SpecError } from '../../../spec/src/spec-error';
import { SCENARIO_NAMES } from '../simulator/scenarios';
import { SIMULATION_LIMITS } from '../simulator/simulation-options';
import { StackError, startNativeStack, type NativeStack } from '../stack/native-stack';
import { DEFAULT_BASE_PORT, portsFromBase } from '../stack/stack-ports';
import { UsageError, parsePositiveNumber, type Command } from '../command';
import { demoSpecFile, describeDemoSpec } from '../package-root';

const STACK_DEFAULTS = { scenario: 'normal', profile: 'production' as ProfileName, ratePerReplica: 150, replicas: 1 };
/** Length of one scenario run, repeated until Ctrl-C: the fast profile shows a whole drift and recovery in four minutes. */
const RUN_SECONDS: Record<ProfileName, number> = { fast: 240, production: 3600 };
const GRAFANA_NOTE = 'not started natively; `docker compose up` serves it on http://localhost:3000';

export const stackCommand: Command = {
  name: 'stack',
  summary: 'run exporter, simulator, Prometheus, Alertmanager and a Slack sink natively (no Docker)',
  usage: `Usage: mlwatch stack [--scenario normal] [--profile production|fast] [--base-port ${DEFAULT_BASE_PORT}]
                    [--replicas 1] [--rate 150] [--duration <seconds>] [--config FILE]

The compose topology without Docker, on loopback: the exporter (--replicas of them),
the simulators (one per model and replica, the scenario repeated; --rate events/s each
for the first model, a tenth for the others; ingest mode; labels for models with a
quality section), Prometheus and Alertmanager from PATH (Debian: prometheus,
prometheus-alertmanager), node-exporter when installed, redis-server when several
replicas take labels (their shared join store), and the slack-sink, which
stands in for Slack and prints each notification. Files are generated from the spec
into a temp directory (printed), with targets on loopback and the Slack webhooks
pointed at the sink. --profile fast compresses alerting 60x (1 s scrapes, a 15-minute
for: in 15 s), which is what the end-to-end tests run. Ports count from --base-port:
Prometheus +1, Alertmanager +3, slack-sink +5, node-exporter +10, Redis +15, exporters +20.
One run lasts --duration seconds (${RUN_SECONDS.fast} fast, ${RUN_SECONDS.production} production).
Scenarios: ${SCENARIO_NAMES.join(', ')}. Grafana needs compose. Ctrl-C stops every part;
so does any part dying (exit code 1). The spec is --config, else ./mlwatch.yaml, else\nthe demo spec shipped with mlwatch. Each scenario phase and each Slack message is\nprinted as it happens.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        scenario: { type: 'string', default: STACK_DEFAULTS.scenario },
        profile: { type: 'string', default: STACK_DEFAULTS.profile },
        'base-port': { type: 'string', default: String(DEFAULT_BASE_PORT) },
        replicas: { type: 'string', default: String(STACK_DEFAULTS.replicas) },
        rate: { type: 'string' },
        duration: { type: 'string' },
      },
      strict: true,
    });
    if (!SCENARIO_NAMES.includes(values.scenario))
      throw new UsageError(
        `--scenario: expected one of ${SCENARIO_NAMES.join(', ')}, got ${JSON.stringify(values.scenario)}`,
      );
    if (!(PROFILE_NAMES as readonly string[]).includes(values.profile))
      throw new UsageError(
        `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(values.profile)}`,
      );
    const profile = values.profile as ProfileName;
    const replicas = wholeNumber('replicas', values.replicas, 1, 16);
    const rate = Math.min(
      parsePositiveNumber('rate', values.rate, STACK_DEFAULTS.ratePerReplica),
      SIMULATION_LIMITS.maxRate,
    );
    const durationSeconds = Math.min(
      parsePositiveNumber('duration', values.duration, RUN_SECONDS[profile]),
      SIMULATION_LIMITS.maxDurationSeconds,
    );
    let ports;
    try {
      ports = portsFromBase(wholeNumber('base-port', values['base-port'], 1024, 65535), replicas);
    } catch (error) {
      throw new UsageError(`--base-port: ${(error as Error).message}`, { cause: error });
    }

    const spec = demoSpecFile(values.config);
    console.log(
      `mlwatch stack: generating the ${profile} configuration from ${describeDemoSpec(spec)}, then starting the slack-sink, ` +
        `${replicas} exporter(s), node-exporter, Alertmanager and Prometheus and waiting until each answers its health check…`,
    );
    let stack: NativeStack;
    try {
      stack = await startNativeStack({
        specFile: spec.file,
        profile,
        replicas,
        ports,
        traffic: { scenario: values.scenario, durationSeconds, rates: [rate] },
        onSlackLine: (line) => console.log(line),
        onPhase: (message) => console.log(`mlwatch stack: ${message}`),
      });
    } catch (error) {
      if (!(error instanceof StackError || error instanceof SpecError)) throw error;
      console.error(`mlwatch stack: ${error.message}`);
      return 1;
    }
    printParts(stack, values.scenario, rate, durationSeconds);
    return new Promise<number>((resolve) => {
      const finish = (code: number): void => {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        void stack.stop().then(() => {
          // A clean stop leaves nothing behind; after a failure the logs stay for a look.
          if (code === 0) rmSync(stack.files.dir, { recursive: true, force: true });
          else console.error(`mlwatch stack: logs kept in ${stack.files.logDir}`);
          resolve(code);
        });
      };
      const interrupt = (): void => {
        console.log('mlwatch stack: stopping every part');
        finish(0);
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      void stack.died.then((reason) => {
        console.error(`mlwatch stack: ${reason}\nmlwatch stack: stopped every other part`);
        finish(1);
      });
    });
  },
};

function printParts(stack: NativeStack, scenario: string, rate: number, durationSeconds: number): void {
  const rows = [...stack.parts.map((p): [string, string] => [p.name, p.url])];
  if (stack.nodeExporterUrl === undefined)
    rows.push([
      'node-exporter',
      'not on PATH (Debian: apt-get install prometheus-node-exporter); host metrics left out',
    ]);
  rows.push(
    ['grafana', GRAFANA_NOTE],
    ['files', `${stack.files.dir} (generated config, data, logs/; removed on Ctrl-C)`],
  );
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(
    `mlwatch stack (profile ${stack.profile}): scenario ${scenario}, ${rate} events/s per exporter, ${durationSeconds} s per run, repeated`,
  );
  for (const [name, where] of rows) console.log(`  ${name.padEnd(width)}  ${where}`);
  console.log('Ctrl-C stops every part. Scenario phases and Slack notifications appear below as they happen.');
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new UsageError(`--${option}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return number;
}
