import { bearerHeaders, checkAuthorized, describeHttpProblem, postJson, type JsonResponse } from './post-json';
import type { PendingLabel } from './label-queue';

/** What came of one batch of labels, in labels. */
export interface LabelDelivery {
  /** Joined to their prediction and counted. */
  readonly accepted: number;
  /** A label for a prediction already labelled: counted once by the exporter. */
  readonly duplicates: number;
  /** No prediction with that id (unknown, or expired from the join store). */
  readonly unmatched: number;
  /** Refused as bad input. */
  readonly rejected: number;
  /** No usable answer: network failure, timeout, server error (503 while the join store is down). */
  readonly failed: number;
  readonly problem?: string;
}

/** Sends batches of labels to `POST /v1/events/labels` with the write token. */
export class LabelSender {
  private readonly url: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    target: string,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {
    this.url = `${target.replace(/\/+$/, '')}/v1/events/labels`;
    this.headers = bearerHeaders(token);
  }

  /**
   * Sends one batch, each label stamped with the moment it became known (its due time, or
   * `nowMs` when sent early); throws UnauthorizedError on a 401.
   */
  async send(labels: readonly PendingLabel[], nowMs: number): Promise<LabelDelivery> {
    const events = labels.map((label) => ({
      prediction_id: label.predictionId,
      label: label.truth,
      timestamp: new Date(Math.min(label.dueAtMs, nowMs)).toISOString(),
    }));
    let response: JsonResponse;
    try {
      response = await postJson(this.url, JSON.stringify({ events }), this.headers, this.timeoutMs);
    } catch (error) {
      return { ...NOTHING, failed: labels.length, problem: (error as Error).message };
    }
    checkAuthorized(response, this.url, this.token !== undefined);
    return judge(response, labels.length, this.url);
  }
}

const NOTHING: LabelDelivery = { accepted: 0, duplicates: 0, unmatched: 0, rejected: 0, failed: 0 };

/** Reads the exporter's counts; a partly refused batch (400 with counts) is answered like a whole one. */
function judge(response: JsonResponse, sent: number, url: string): LabelDelivery {
  const counts = countsOf(response.body);
  if (counts !== undefined && (response.status === 200 || response.status === 400)) {
    const answered = counts.accepted + counts.duplicates + counts.unmatched + counts.rejected;
    return {
      ...counts,
      // Labels the answer does not account for are lost, not silently dropped.
      failed: Math.max(0, sent - answered),
      ...(counts.rejected > 0 ? { problem: describeRejection(response, counts.rejected) } : {}),
    };
  }
  if (response.status === 404)
    return { ...NOTHING, failed: sent, problem: `${url} answered HTTP 404: this exporter takes no labels (too old?)` };
  const problem = describeHttpProblem(response);
  return response.status >= 400 && response.status < 500
    ? { ...NOTHING, rejected: sent, problem }
    : { ...NOTHING, failed: sent, problem };
}

/** `{accepted, duplicates, unmatched, rejected}` of a label answer; `rejected` may be a count or the list of refusals. */
function countsOf(body: unknown): Omit<LabelDelivery, 'failed' | 'problem'> | undefined {
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
function describeRejection(response: JsonResponse, rejected: number): string {
  const list = (response.body as { rejected?: unknown }).rejected;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const message =
    first !== null && typeof first === 'object' && typeof (first as { message?: unknown }).message === 'string'
      ? (first as { message: string }).message
      : describeHttpProblem(response);
  return `${rejected} label${rejected === 1 ? '' : 's'} rejected: ${message}`;
}
