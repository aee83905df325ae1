import { nonFiniteLiteral } from './lenient-json';

/** Short description of a bad value for an error message: `"12" (a string)`, `NaN`, `an object`. */
export function describeValue(value: unknown): string {
  const literal = nonFiniteLiteral(value);
  if (literal !== undefined) return literal;
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string')
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (a string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value})`;
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}
