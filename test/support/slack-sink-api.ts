import type { ReceivedMessage } from '../../cli/src/slack-sink/slack-inbox';

/** What the slack-sink has received so far, oldest first. */
export async function sinkMessages(url: string): Promise<readonly ReceivedMessage[]> {
  const res = await fetch(`${url}/messages`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`slack-sink /messages: HTTP ${res.status}`);
  return ((await res.json()) as { messages: ReceivedMessage[] }).messages;
}

/** Title of a message's first attachment, e.g. `[CRITICAL] MLWatchDatasetDrift · model fraud`. */
export function titleOf(received: ReceivedMessage): string {
  return received.message.attachments[0]?.title ?? '';
}
