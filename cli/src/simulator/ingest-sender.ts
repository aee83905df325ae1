import type { IngestEvent } from './local-scorer';
import { bearerHeaders, checkAuthorized, describeHttpProblem, postJson, type JsonResponse } from './post-json';
import type { DeliveryOutcome, RecordedPrediction } from './simulation-tally';

/** One refused event as the ingest endpoint lists it. */
interface RejectedEntry {
  index: number;
  message?: string;
}

/** Sends batches of scored events to `POST /v1/events/predictions`. */
export class IngestSender {
  private readonly url: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    target: string,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {
    this.url = `${target.replace(/\/+$/, '')}/v1/events/predictions`;
    this.headers = bearerHeaders(token);
  }

  /** Sends one batch and counts its events by what the exporter did with them; throws UnauthorizedError on a 401. */
  async send(events: readonly IngestEvent[]): Promise<DeliveryOutcome> {
    let response: JsonResponse;
    const started = performance.now();
    try {
      response = await postJson(this.url, JSON.stringify({ events }), this.headers, this.timeoutMs);
    } catch (error) {
      return { ok: 0, errors: 0, rejected: 0, failed: events.length, problem: (error as Error).message };
    }
    const latencyMs = performance.now() - started;
    checkAuthorized(response, this.url, this.token !== undefined);
    return { ...this.judge(response, events), latencyMs };
  }

  private judge(response: JsonResponse, events: readonly IngestEvent[]): DeliveryOutcome {
    const rejected = rejectedEntries(response.body);
    if (response.status === 200 || (response.status === 400 && rejected !== undefined))
      return countAccepted(events, rejected ?? []);
    const problem = describeHttpProblem(response);
    return response.status >= 400 && response.status < 500
      ? { ok: 0, errors: 0, rejected: events.length, failed: 0, problem }
      : { ok: 0, errors: 0, rejected: 0, failed: events.length, problem };
  }
}

/** Splits a batch into recorded successes, recorded errors and refusals. */
function countAccepted(events: readonly IngestEvent[], rejected: readonly RejectedEntry[]): DeliveryOutcome {
  const refused = new Set(rejected.map((r) => r.index));
  let ok = 0;
  let errors = 0;
  const recorded: RecordedPrediction[] = [];
  events.forEach((event, index) => {
    if (refused.has(index)) return;
    if (event.status !== 'success') {
      errors++;
      return;
    }
    ok++;
    if (event.prediction !== undefined)
      recorded.push({ index, predictionId: event.prediction_id, predicted: event.prediction, version: event.version });
  });
  const first = rejected[0];
  return {
    ok,
    errors,
    rejected: refused.size,
    failed: 0,
    recorded,
    ...(first === undefined ? {} : { problem: `rejected: ${first.message ?? `event ${first.index}`}` }),
  };
}

function rejectedEntries(body: unknown): RejectedEntry[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const rejected = (body as { rejected?: unknown }).rejected;
  return Array.isArray(rejected) ? (rejected as RejectedEntry[]) : undefined;
}
