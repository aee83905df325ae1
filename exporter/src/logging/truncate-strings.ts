/**
 * `value` with every string longer than `maxLength` characters cut to that length and
 * marked with how long it was. Copies only the objects and arrays on the way to a cut
 * string, so the caller's value is never changed and an entry with nothing to cut is
 * returned as it is. `counter.count` grows by one per cut string.
 */
export function truncateStrings(value: unknown, maxLength: number, counter: { count: number }): unknown {
  if (typeof value === 'string') {
    if (value.length <= maxLength) return value;
    counter.count++;
    return `${value.slice(0, maxLength)}…[truncated, ${value.length} chars]`;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const cut = truncateStrings(item, maxLength, counter);
      if (cut !== item) {
        copy ??= value.slice();
        copy[i] = cut;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = readKey(record, key);
    const cut = truncateStrings(item, maxLength, counter);
    if (cut !== item) {
      copy ??= copyOf(record);
      copy[key] = cut;
    }
  }
  return copy ?? value;
}

/** A property whose getter throws reads as undefined here: the serialiser reports it in the line. */
function readKey(record: Record<string, unknown>, key: string): unknown {
  try {
    return record[key];
  } catch {
    return undefined;
  }
}

function copyOf(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = readKey(record, key);
  return copy;
}
