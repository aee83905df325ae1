import type { CatalogModel } from '../serving/model-catalog';
import { HttpError } from './http-error';

/** Header a client sets to ask the demo model for a delay and/or a failure. */
export const FAULT_HEADER = 'x-mlwatch-fault';

/** A requested fault: sleep `delayMs` before predicting, then fail when `fail` is set. */
export interface Fault {
  delayMs: number;
  fail: boolean;
}

const MAX_DELAY_MS = 30_000;

/**
 * Reads `x-mlwatch-fault: delay_ms=250,error`. Only models with `fault_injection: true`
 * in the spec accept it, so production traffic cannot slow a model down by accident.
 */
export function readFault(
  header: string | string[] | undefined,
  model: CatalogModel,
  modelIndex: number,
): Fault | undefined {
  if (header === undefined) return undefined;
  if (!model.spec.fault_injection) {
    throw new HttpError(
      400,
      'invalid_request',
      `${FAULT_HEADER}: fault injection is off for model "${model.spec.name}" (set models[${modelIndex}].fault_injection: true in the spec)`,
      FAULT_HEADER,
    );
  }
  const fault: Fault = { delayMs: 0, fail: false };
  for (const part of String(header)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const delay = /^delay_ms=(\d+(?:\.\d+)?)$/.exec(part);
    if (delay !== null && Number(delay[1]) <= MAX_DELAY_MS) fault.delayMs = Number(delay[1]);
    else if (part === 'error') fault.fail = true;
    else
      throw new HttpError(
        400,
        'invalid_request',
        `${FAULT_HEADER}: expected "delay_ms=<0-${MAX_DELAY_MS}>" and/or "error", got ${JSON.stringify(part)}`,
        FAULT_HEADER,
      );
  }
  return fault;
}
