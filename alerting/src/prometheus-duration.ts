const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Seconds as a Prometheus/Alertmanager duration (`90` → `1m30s`, `0.5` → `500ms`); both accept this form. */
export function formatDuration(seconds: number): string {
  if (!(seconds >= 0) || !Number.isFinite(seconds))
    throw new RangeError(`formatDuration: expected a finite duration >= 0, got ${seconds}`);
  let millis = Math.round(seconds * 1000);
  if (millis === 0) return '0s';
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(millis / size);
    if (count > 0) text += `${count}${unit}`;
    millis -= count * size;
  }
  return text;
}

/** A Prometheus duration such as `1d`, `6h` or `30m` in seconds; only the units {@link formatDuration} writes. */
export function parseDuration(text: string): number {
  const pattern = /(\d+)(ms|d|h|m|s)/gy;
  let seconds = 0;
  let matched = 0;
  for (const match of text.matchAll(pattern)) {
    const unit = UNITS.find(([name]) => name === match[2]);
    seconds += (Number(match[1]) * (unit?.[1] ?? 0)) / 1000;
    matched += match[0].length;
  }
  if (matched === 0 || matched !== text.length)
    throw new RangeError(`parseDuration: not a duration: ${JSON.stringify(text)}`);
  return seconds;
}
