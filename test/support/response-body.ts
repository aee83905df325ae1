/**
 * The shapes of the exporter's JSON answers. supertest types every body `any`; a test says what it reads
 * with `res.body as ErrorBody` (or a served type such as DriftReport).
 */

/** The body of an error answer on every route: `{ error: { code, message, field? } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/** The body of an accepted `POST /v1/events/predictions`. */
export interface IngestBody {
  readonly accepted: number;
  /** Valid events whose prediction_id was seen recently: counted once already, not again. */
  readonly duplicates: number;
  readonly rejected: readonly {
    readonly index: number;
    readonly reason: string;
    readonly field: string;
    readonly message: string;
  }[];
}

/** The body of a served `POST /v1/models/:model/predict`. */
export interface PredictBody {
  readonly prediction_id: string;
  readonly model: string;
  readonly version: string;
  readonly class: string;
  readonly confidence: number;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly latency_ms: number;
}

/** A line of the prediction log as a test reads it back. */
export interface LogLine {
  readonly [key: string]: unknown;
  readonly input: Readonly<Record<string, unknown>>;
}
