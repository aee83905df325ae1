/**
 * The ids whose prediction got its label already, as a state section: a label retried across a
 * restart or a reload is still a duplicate, counted once.
 */
import {
  SnapshotFormatError,
  arrayAt,
  objectAt,
  stringAt,
  type RestoreProblem,
  type StateSection,
} from '../state/state-section';
import { decodeFloat64, encodeFloat64 } from '../state/typed-array-codec';
import type { IdStore } from './id-store';

/** Name of the labelled-id section in a snapshot document. */
export const LABELLED_ID_SECTION = 'labelled_ids';

/** Layout of the section's data; a section of another layout is reported as `unsupported_version` and ignored. */
export const LABELLED_ID_SECTION_LAYOUT = 1;

/** Longest id the section accepts back: what label validation accepts. */
const MAX_ID_LENGTH = 200;

/**
 * The labelled ids oldest first, each with the time it was labelled; nothing else, since a
 * labelled id only has to be recognised. The newest `capacity` ids are restored, none older than
 * the store's maximum age (`joins.ttl_seconds`). Another claim scope's ids (an outcome event's)
 * use the same layout in a section of their own `name`.
 */
export function labelledIdSection(store: IdStore, name = LABELLED_ID_SECTION): StateSection {
  return {
    name,
    durable: true,
    capture: (nowMs) => {
      const entries = store.entries(nowMs);
      return {
        layout: LABELLED_ID_SECTION_LAYOUT,
        ids: entries.map((entry) => entry.id),
        times_ms: encodeFloat64(Float64Array.from(entries, (entry) => entry.timeMs)),
      };
    },
    restore: (data, nowMs): RestoreProblem[] => {
      const top = objectAt(data, name);
      if (top['layout'] !== LABELLED_ID_SECTION_LAYOUT)
        return [
          {
            reason: 'unsupported_version',
            detail: `section ${name}: layout ${JSON.stringify(top['layout'])}, this exporter reads layout ${LABELLED_ID_SECTION_LAYOUT}`,
          },
        ];
      const ids = arrayAt(top['ids'], `${name}.ids`).map((id, i) => {
        const where = `${name}.ids[${i}]`;
        const text = stringAt(id, where);
        if (text.length === 0 || text.length > MAX_ID_LENGTH)
          throw new SnapshotFormatError(`${where}: expected 1-${MAX_ID_LENGTH} characters, got ${text.length}`);
        return text;
      });
      const where = `${name}.times_ms`;
      const times = decodeFloat64(stringAt(top['times_ms'], where), ids.length, where);
      const oldest = nowMs - store.maxAgeMs;
      const kept: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        const time = times[i] as number;
        if (!Number.isFinite(time))
          throw new SnapshotFormatError(`${where}[${i}]: expected a finite time, got ${time}`);
        if (time >= oldest) kept.push(i);
      }
      for (const i of kept.slice(Math.max(0, kept.length - store.capacity)))
        store.claim(ids[i] as string, -1, -1, Number.NaN, times[i] as number);
      return [];
    },
  };
}
