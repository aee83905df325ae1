import type { RejectionReason } from '../../../spec/src/conventions';

/** Why one request or event was refused: the metric reason, the field it concerns and a sentence naming both. */
export interface ValidationProblem {
  reason: RejectionReason;
  field: string;
  message: string;
}

/** Builds a problem whose message starts with the field, like the spec loader's errors. */
export function problem(reason: RejectionReason, field: string, detail: string): ValidationProblem {
  return { reason, field, message: `${field}: ${detail}` };
}
