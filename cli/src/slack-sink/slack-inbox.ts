import type { SlackMessage } from './slack-message';

/** One message the sink accepted: which webhook path it came to, when, and the payload. */
export interface ReceivedMessage {
  /** Last segment of the webhook path (`/slack/oncall` → `oncall`): which Alertmanager receiver sent it. */
  readonly receiver: string;
  /** Arrival time, Unix milliseconds. */
  readonly receivedAtMs: number;
  readonly message: SlackMessage;
}

/** The most recent messages, oldest first; bounded so that a sink left running for days keeps constant memory. */
export class SlackInbox {
  private readonly messages: ReceivedMessage[] = [];
  private dropped = 0;

  constructor(private readonly capacity = 1000) {}

  add(received: ReceivedMessage): void {
    this.messages.push(received);
    if (this.messages.length > this.capacity) {
      this.messages.shift();
      this.dropped++;
    }
  }

  /** Messages kept, oldest first, with how many older ones were dropped to stay within capacity. */
  snapshot(): { messages: readonly ReceivedMessage[]; dropped: number } {
    return { messages: [...this.messages], dropped: this.dropped };
  }
}
