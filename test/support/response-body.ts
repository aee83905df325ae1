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
  readonly rejected: readonly {
    readonly index: number;
    readonly reason: string;
    readonly field: string;
    readonly message: string;
  }[];
}
