import { SlackInbox } from '../../../cli/src/slack-sink/slack-inbox';
import { startSlackSink, type SlackSink } from '../../../cli/src/slack-sink/slack-sink-server';

const PAGE = {
  channel: '#fraud-oncall',
  attachments: [
    {
      title: '[CRITICAL] MLWatchDatasetDrift · model fraud',
      text: '• *Dataset drift on model fraud*\nAmount drifted.',
      color: 'danger',
    },
  ],
};

function post(url: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('the slack-sink over real HTTP', () => {
  let sink: SlackSink;
  const logged: string[] = [];
  beforeEach(async () => {
    logged.length = 0;
    sink = await startSlackSink({ log: (line) => logged.push(line) });
  });
  afterEach(() => sink.close());

  test('answers "ok" as Slack does, records the message under its receiver path and logs it as Slack would show it', async () => {
    const res = await post(sink.webhookUrl('oncall'), JSON.stringify(PAGE));
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    const listed = (await (await fetch(`${sink.url}/messages`)).json()) as {
      messages: { receiver: string; receivedAtMs: number; message: unknown }[];
      dropped: number;
    };
    expect(listed.dropped).toBe(0);
    expect(listed.messages).toEqual([
      { receiver: 'oncall', receivedAtMs: expect.any(Number) as unknown, message: PAGE },
    ]);
    expect(logged).toEqual([
      'slack-sink oncall #fraud-oncall [danger] [CRITICAL] MLWatchDatasetDrift · model fraud',
      '    • *Dataset drift on model fraud*',
      '    Amount drifted.',
    ]);
  });

  test('refuses what Slack would refuse with 400 invalid_payload, naming the problem, and records nothing', async () => {
    const notJson = await post(sink.webhookUrl('alerts'), '{"channel":');
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toMatch(/^invalid_payload: not JSON/);
    const badField = await post(sink.webhookUrl('alerts'), JSON.stringify({ attachments: [{ title: 3 }] }));
    expect([badField.status, await badField.text()]).toEqual([
      400,
      'invalid_payload: attachments[0].title: expected a string, got a number',
    ]);
    expect(((await (await fetch(`${sink.url}/messages`)).json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  test('answers health checks, and 404/405 outside the webhook paths', async () => {
    expect((await fetch(`${sink.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sink.url}/nowhere`)).status).toBe(404);
    expect((await fetch(sink.webhookUrl('oncall'))).status).toBe(405);
    expect((await post(`${sink.url}/slack/`, JSON.stringify(PAGE))).status).toBe(404);
    expect((await post(`${sink.url}/slack/a/b`, JSON.stringify(PAGE))).status).toBe(404);
  });

  test('refuses a body over 1 MiB with 413', async () => {
    const res = await post(sink.webhookUrl('oncall'), JSON.stringify({ text: 'x'.repeat(1024 * 1024) }));
    expect([res.status, await res.text()]).toEqual([413, 'payload_too_large']);
  });
});

describe('SlackInbox', () => {
  test('keeps the most recent messages up to its capacity and counts the ones it dropped', () => {
    const inbox = new SlackInbox(2);
    for (const receiver of ['a', 'b', 'c']) inbox.add({ receiver, receivedAtMs: 0, message: { attachments: [] } });
    const { messages, dropped } = inbox.snapshot();
    expect([messages.map((m) => m.receiver), dropped]).toEqual([['b', 'c'], 1]);
  });
});
