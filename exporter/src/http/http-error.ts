import type { RejectionReason } from '../../../spec/src/conventions';
import type { ValidationProblem } from '../ingest/validation-problem';

/**
 * Error codes that are not client mistakes, so they are not counted as rejections (`overloaded` is
 * the 503 of a full body cap, `store_unavailable` the 503 of a join store that did not answer).
 */
export type ServerErrorCode =
  | 'model_error'
  | 'internal_error'
  | 'not_found'
  | 'not_ready'
  | 'no_reference'
  | 'no_labels'
  | 'overloaded'
  | 'store_unavailable';

/** An error with the HTTP status and JSON body it turns into; `code` is a rejection reason when the client is at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: RejectionReason | ServerErrorCode,
    message: string,
    readonly field?: string,
    options: { cause?: unknown; rejectedEvents?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.rejectedEvents = options.rejectedEvents ?? 1;
  }

  /** How many events this refusal counts in `mlwatch_rejected_events_total`: a refused batch counts each event. */
  readonly rejectedEvents: number;

  /** A 4xx from a validation problem. */
  static fromProblem(status: number, problem: ValidationProblem): HttpError {
    return new HttpError(status, problem.reason, problem.message, problem.field);
  }

  /** The JSON body: `{error: {code, message, field?}}`. */
  toJSON(): { error: { code: string; message: string; field?: string } } {
    return {
      error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) },
    };
  }
}
