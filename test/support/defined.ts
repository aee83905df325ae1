/** `value` when it is there; otherwise the test fails here, naming what was missing (where code would write `!`). */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
