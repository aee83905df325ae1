/** Checks a share from 0 to 1 (a coverage), naming the setting. */
export function checkShare(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name}: expected a share from 0 to 1, got ${value}`);
  return value;
}
