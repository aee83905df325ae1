import type { ReceivedMessage } from './slack-inbox';

/**
 * The sink's log lines for one message, the way it would read in Slack: a head line per
 * attachment (`slack-sink oncall #fraud-oncall [danger] [CRITICAL] MLWatchDatasetDrift · model fraud`)
 * followed by its text, indented.
 */
export function describeMessage(received: ReceivedMessage): string[] {
  const { receiver, message } = received;
  const channel = message.channel ?? '(webhook default channel)';
  const head = `slack-sink ${receiver} ${channel}`;
  if (message.attachments.length === 0) return [head, ...indented(message.text ?? '')];
  return message.attachments.flatMap((a) => [
    `${head} [${a.color ?? 'no colour'}] ${a.title ?? a.fallback ?? ''}`,
    ...indented(a.text ?? ''),
  ]);
}

function indented(text: string): string[] {
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`);
}
