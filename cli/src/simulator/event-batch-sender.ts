import { bearerHeaders, checkAuthorized, describeHttpProblem, postJson, type JsonResponse } from './post-json';

/** What came of one batch of delayed events (labels, outcomes), in events. */
export interface EventDelivery {
  /** Joined to their prediction and counted. */
  readonly accepted: number;
  /** An event the exporter already counted for that prediction: counted once. */
  readonly duplicates: number;
  /** No prediction with that id (unknown, or expired from the join store). */
  readonly unmatched: number;
  /** Refused as bad input. */
  readonly rejected: number;
  /** No usable answer: network failure, timeout, server error (503 while the join store is down). */
  readonly failed: number;
  readonly problem?: string;
}

/** Sends batches of delayed events somewhere; the feed only needs this. */
export interface EventSender<T> {
  send(events: readonly T[], nowMs: number): Promise<EventDelivery>;
}

/** Where a kind of delayed event goes and how one is written. */
export interface EventRoute<T> {
  /** Path on the exporter, e.g. `/v1/events/labels`. */
  readonly path: string;
  /** What one event is called in problems: "label", "outcome". */
  readonly noun: string;
  /** The JSON of one event, sent at `nowMs`. */
  toJson(event: T, nowMs: number): Record<string, unknown>;
}

/**
 * Sends batches of delayed events as `{"events": [...]}` with the write token to an exporter
 * route answering like `POST /v1/events/labels` (`{accepted, duplicates, unmatched, rejected}`).
 */
export class EventBatchSender<T> implements EventSender<T> {
  private readonly url: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    target: string,
    private readonly route: EventRoute<T>,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {
    this.url = `${target.replace(/\/+$/, '')}${route.path}`;
    this.headers = bearerHeaders(token);
  }

  /** Sends one batch; throws UnauthorizedError on a 401. */
  async send(batch: readonly T[], nowMs: number): Promise<EventDelivery> {
    const events = batch.map((event) => this.route.toJson(event, nowMs));
    let response: JsonResponse;
    try {
      response = await postJson(this.url, JSON.stringify({ events }), this.headers, this.timeoutMs);
    } catch (error) {
      return { ...NOTHING, failed: batch.length, problem: (error as Error).message };
    }
    checkAuthorized(response, this.url, this.token !== undefined);
    return this.judge(response, batch.length);
  }

  /** Reads the exporter's counts; a partly refused batch (400 with counts) is answered like a whole one. */
  private judge(response: JsonResponse, sent: number): EventDelivery {
    const counts = countsOf(response.body);
    if (counts !== undefined && (response.status === 200 || response.status === 400)) {
      const answered = counts.accepted + counts.duplicates + counts.unmatched + counts.rejected;
      return {
        ...counts,
        // Events the answer does not account for are lost, not silently dropped.
        failed: Math.max(0, sent - answered),
        ...(counts.rejected > 0 ? { problem: describeRejection(response, counts.rejected, this.route.noun) } : {}),
      };
    }
    if (response.status === 404)
      return {
        ...NOTHING,
        failed: sent,
        problem: `${this.url} answered HTTP 404: this exporter takes no ${this.route.noun}s (too old?)`,
      };
    const problem = describeHttpProblem(response);
    return response.status >= 400 && response.status < 500
      ? { ...NOTHING, rejected: sent, problem }
      : { ...NOTHING, failed: sent, problem };
  }
}

const NOTHING: EventDelivery = { accepted: 0, duplicates: 0, unmatched: 0, rejected: 0, failed: 0 };

/** `{accepted, duplicates, unmatched, rejected}` of an answer; `rejected` may be a count or the list of refusals. */
function countsOf(body: unknown): Omit<EventDelivery, 'failed' | 'problem'> | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const accepted = b['accepted'];
  if (typeof accepted !== 'number') return undefined;
  const count = (value: unknown): number =>
    typeof value === 'number' ? value : Array.isArray(value) ? value.length : 0;
  return {
    accepted,
    duplicates: count(b['duplicates']),
    unmatched: count(b['unmatched']),
    rejected: count(b['rejected']),
  };
}

/** "2 labels rejected: events[3].label: expected one of legit, fraud" (the first refusal's message when listed). */
function describeRejection(response: JsonResponse, rejected: number, noun: string): string {
  const list = (response.body as { rejected?: unknown }).rejected;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const message =
    first !== null && typeof first === 'object' && typeof (first as { message?: unknown }).message === 'string'
      ? (first as { message: string }).message
      : describeHttpProblem(response);
  return `${rejected} ${noun}${rejected === 1 ? '' : 's'} rejected: ${message}`;
}
