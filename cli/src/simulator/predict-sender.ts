import { FAULT_HEADER } from '../../../exporter/src/http/fault-injection';
import {
  bearerHeaders,
  checkAuthorized,
  describeHttpProblem,
  errorOf,
  postJson,
  SimulationStopError,
  type JsonResponse,
} from './post-json';
import type { DeliveryOutcome, RecordedPrediction } from './simulation-tally';
import type { PlannedEvent } from './traffic-source';

/** Raised when the exporter refuses `x-mlwatch-fault` because the model's fault injection is off. */
export class FaultInjectionOffError extends SimulationStopError {
  override readonly name = 'FaultInjectionOffError';
}

/** Sends planned events one by one to `POST /v1/models/:model/predict`. */
export class PredictSender {
  private readonly url: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    target: string,
    private readonly model: string,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {
    this.url = `${target.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(model)}/predict`;
    this.headers = bearerHeaders(token);
  }

  /** Sends one prediction request; throws FaultInjectionOffError when the scenario's faults are refused. */
  async send(event: PlannedEvent): Promise<DeliveryOutcome> {
    const body = JSON.stringify(
      event.version === undefined ? { features: event.features } : { features: event.features, version: event.version },
    );
    const fault = faultHeader(event);
    let response: JsonResponse;
    const started = performance.now();
    try {
      const headers = fault === undefined ? this.headers : { ...this.headers, [FAULT_HEADER]: fault };
      response = await postJson(this.url, body, headers, this.timeoutMs);
    } catch (error) {
      return { ok: 0, errors: 0, rejected: 0, failed: 1, problem: (error as Error).message };
    }
    const latencyMs = performance.now() - started;
    checkAuthorized(response, this.url, this.token !== undefined);
    return { ...this.judge(response, event), latencyMs };
  }

  private judge(response: JsonResponse, event: PlannedEvent): DeliveryOutcome {
    if (response.status === 200) {
      const recorded = recordedOf(response.body);
      return { ok: 1, errors: 0, rejected: 0, failed: 0, ...(recorded === undefined ? {} : { recorded: [recorded] }) };
    }
    const error = errorOf(response.body);
    // The injected failure comes back as the exporter's model_error: exactly what was asked for.
    if (event.fail && response.status === 500 && error?.code === 'model_error')
      return { ok: 0, errors: 1, rejected: 0, failed: 0 };
    if (response.status === 400 && error?.field === FAULT_HEADER) {
      throw new FaultInjectionOffError(
        `the exporter refuses injected faults for model ${this.model}, which this scenario needs in predict mode: ` +
          `set fault_injection: true on the model in the spec the exporter runs with, or use --mode ingest (exporter said: ${error.message})`,
      );
    }
    const problem = describeHttpProblem(response);
    return response.status >= 400 && response.status < 500
      ? { ok: 0, errors: 0, rejected: 1, failed: 0, problem }
      : { ok: 0, errors: 0, rejected: 0, failed: 1, problem };
  }
}

/** `delay_ms=300,error`, or undefined when the event needs no fault. */
function faultHeader(event: PlannedEvent): string | undefined {
  const parts: string[] = [];
  if (event.addedLatencyMs > 0) parts.push(`delay_ms=${Math.round(event.addedLatencyMs)}`);
  if (event.fail) parts.push('error');
  return parts.length === 0 ? undefined : parts.join(',');
}

/**
 * The id, prediction and version of a predict answer (`prediction_id` with a classifier's `class`
 * or a regression model's numeric `prediction`, and `version`), if it names the first two.
 */
function recordedOf(body: unknown): RecordedPrediction | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const id = b['prediction_id'];
  const predicted = typeof b['class'] === 'string' ? b['class'] : b['prediction'];
  if (typeof id !== 'string' || (typeof predicted !== 'string' && typeof predicted !== 'number')) return undefined;
  const version = b['version'];
  return { index: 0, predictionId: id, predicted, ...(typeof version === 'string' ? { version } : {}) };
}
