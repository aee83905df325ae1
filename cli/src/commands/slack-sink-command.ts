import { parseArgs } from 'node:util';
import { startSlackSink } from '../slack-sink/slack-sink-server';
import { parsePort, type Command } from '../command';

/** Port of the sink in compose and the default here; next to Alertmanager's 9093 and its cluster port 9094. */
export const DEFAULT_SLACK_SINK_PORT = 9095;

export const slackSinkCommand: Command = {
  name: 'slack-sink',
  summary: 'receive Slack webhooks locally and print them (a stand-in for Slack)',
  usage: `Usage: mlwatch slack-sink [--port ${DEFAULT_SLACK_SINK_PORT}] [--host 127.0.0.1]

A stand-in for Slack's incoming webhooks, for the demo stack and the end-to-end
tests: POST /slack/<receiver> takes a Slack message (Alertmanager's Slack JSON),
answers "ok" as Slack does and prints it; GET /messages lists the recent ones with
their receiver and arrival time; GET /healthz answers when it is up. Point a
receiver's webhook file at http://HOST:PORT/slack/<receiver>, one path per
receiver. SIGTERM or SIGINT stops it.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: String(DEFAULT_SLACK_SINK_PORT) },
        host: { type: 'string', default: '127.0.0.1' },
      },
      strict: true,
    });
    const sink = await startSlackSink({
      port: parsePort(values.port),
      host: values.host,
      log: (line) => console.log(line),
    });
    console.error(`slack-sink listening on ${sink.url} (webhooks: ${sink.webhookUrl('<receiver>')})`);
    return new Promise<number>((resolve) => {
      const stop = (): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void sink.close().then(() => resolve(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
};
