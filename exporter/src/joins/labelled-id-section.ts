/**
 * The ids whose prediction got its label already, as a state section: a label retried across a
 * restart or a reload is still a duplicate, counted once.
 */
import {
  SnapshotFormatError,
  objectAt,
  stringAt,
  type RestoreProblem,
  type StateSection,
} from '../state/state-section';
import { decodeFloat64, encodeFloat64 } from '../state/typed-array-codec';
import type { IdStore } from './id-store';
import { readIdStrings, readPackedIds, writePackedIds } from './section-ids';

/** Name of the labelled-id section in a snapshot document. */
export const LABELLED_ID_SECTION = 'labelled_ids';

/**
 * Layout the section is written in: 2, the ids as packed columns (see IdStore.columns). Layout 1
 * (a string per id) is still read; a section of another layout is reported as
 * `unsupported_version` and ignored.
 */
export const LABELLED_ID_SECTION_LAYOUT = 2;

/**
 * The labelled ids oldest first, each with the time it was labelled; nothing else, since a
 * labelled id only has to be recognised. Written as packed columns, no string per id. The newest
 * `capacity` ids are restored, none older than the store's maximum age (`joins.ttl_seconds`);
 * gaps are skipped. Another claim scope's ids (an outcome event's) use the same layout in a
 * section of their own `name`.
 */
export function labelledIdSection(store: IdStore, name = LABELLED_ID_SECTION): StateSection {
  return {
    name,
    durable: true,
    capture: () => {
      const columns = store.columns();
      return {
        layout: LABELLED_ID_SECTION_LAYOUT,
        ...writePackedIds(columns),
        times_ms: encodeFloat64(columns.times),
      };
    },
    restore: (data, nowMs): RestoreProblem[] => {
      const top = objectAt(data, name);
      if (top['layout'] !== 1 && top['layout'] !== 2)
        return [
          {
            reason: 'unsupported_version',
            detail: `section ${name}: layout ${JSON.stringify(top['layout'])}, this exporter reads layouts 1 and 2`,
          },
        ];
      const ids = top['layout'] === 1 ? readIdStrings(top, name) : readPackedIds(top, name);
      const where = `${name}.times_ms`;
      const times = decodeFloat64(stringAt(top['times_ms'], where), ids.count, where);
      const oldest = nowMs - store.maxAgeMs;
      const kept: number[] = [];
      for (let i = 0; i < ids.count; i++) {
        const time = times[i] as number;
        if (!Number.isFinite(time))
          throw new SnapshotFormatError(`${where}[${i}]: expected a finite time, got ${time}`);
        if (ids.has(i) && time >= oldest) kept.push(i);
      }
      for (const i of kept.slice(Math.max(0, kept.length - store.capacity)))
        ids.claim(store, i, -1, -1, Number.NaN, times[i] as number, Number.NaN);
      return [];
    },
  };
}
