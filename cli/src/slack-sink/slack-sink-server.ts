import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeMessage } from './describe-message';
import { SlackInbox, type ReceivedMessage } from './slack-inbox';
import { SlackMessageError, parseSlackMessage } from './slack-message';

/** Where webhooks are posted: `/slack/<receiver>`, one path per Alertmanager receiver. */
export const SLACK_WEBHOOK_PREFIX = '/slack/';
/** Largest payload accepted; Alertmanager's messages are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;
const RECEIVER_NAME = /^[A-Za-z0-9_.-]+$/;

export interface SlackSinkOptions {
  port?: number;
  host?: string;
  /** Gets the log lines of every accepted message; silent when absent. */
  log?: (line: string) => void;
  /** Messages kept for GET /messages. */
  capacity?: number;
}

/** A listening sink: its base URL, what it received, and the way to stop it. */
export interface SlackSink {
  readonly url: string;
  readonly inbox: SlackInbox;
  /** The webhook URL a receiver should post to, e.g. `webhookUrl('oncall')`. */
  webhookUrl(receiver: string): string;
  close(): Promise<void>;
}

/**
 * Starts the slack-sink: a stand-in for Slack's incoming webhooks that accepts Slack
 * messages on `POST /slack/<receiver>`, answers `ok` as Slack does, logs them and keeps the
 * recent ones for `GET /messages`; `GET /healthz` answers once it listens.
 */
export async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const inbox = new SlackInbox(options.capacity);
  const server = createServer((req, res) => {
    void handle(req, res, inbox, options.log).catch((error: unknown) =>
      send(res, 500, { error: (error as Error).message }),
    );
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const url = urlOf(server.address() as AddressInfo);
  return {
    url,
    inbox,
    webhookUrl: (receiver) => `${url}${SLACK_WEBHOOK_PREFIX}${receiver}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  inbox: SlackInbox,
  log: ((line: string) => void) | undefined,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://sink').pathname;
  if (req.method === 'GET' && path === '/healthz') {
    send(res, 200, { status: 'ok' });
    return;
  }
  if (req.method === 'GET' && path === '/messages') {
    send(res, 200, inbox.snapshot());
    return;
  }
  if (!path.startsWith(SLACK_WEBHOOK_PREFIX)) {
    send(res, 404, { error: `no route for ${req.method} ${path}` });
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, { error: `${path} accepts POST only` });
    return;
  }
  const receiver = path.slice(SLACK_WEBHOOK_PREFIX.length);
  if (!RECEIVER_NAME.test(receiver)) {
    send(res, 404, { error: `no webhook ${JSON.stringify(receiver)}: expected ${SLACK_WEBHOOK_PREFIX}<receiver>` });
    return;
  }

  const body = await readBody(req);
  if (body === undefined) {
    sendText(res, 413, 'payload_too_large');
    return;
  }
  let received: ReceivedMessage;
  try {
    received = { receiver, receivedAtMs: Date.now(), message: parseSlackMessage(JSON.parse(body)) };
  } catch (error) {
    // Slack answers a bad payload with 400 and a short code; the sink adds which field was wrong.
    const detail = error instanceof SlackMessageError ? error.message : `not JSON: ${(error as Error).message}`;
    log?.(`slack-sink ${receiver}: refused a payload (${detail})`);
    sendText(res, 400, `invalid_payload: ${detail}`);
    return;
  }
  inbox.add(received);
  for (const line of describeMessage(received)) log?.(line);
  sendText(res, 200, 'ok');
}

/** The request body as text, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // The rest of an oversized body is read and dropped, so the client still gets the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

/** Base URL of the listening socket; a wildcard address is reached through loopback. */
function urlOf(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return `http://127.0.0.1:${address.port}`;
  return address.family === 'IPv6'
    ? `http://[${address.address}]:${address.port}`
    : `http://${address.address}:${address.port}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`slack-sink cannot listen on ${host}:${port}: ${error.message}`, { cause: error })),
    );
    server.listen(port, host, () => resolve());
  });
}
