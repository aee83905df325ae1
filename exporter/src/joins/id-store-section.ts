/**
 * The recent prediction ids as a state section, so a batch retried across a restart or a reload
 * is still counted once and a label still finds its prediction.
 */
import type { SeriesLayout, VersionSlot } from '../metrics/series-layout';
import {
  SnapshotFormatError,
  arrayAt,
  objectAt,
  stringAt,
  type RestoreProblem,
  type StateSection,
} from '../state/state-section';
import {
  decodeFloat32,
  decodeFloat64,
  decodeInt32,
  encodeFloat32,
  encodeFloat64,
  encodeInt32,
} from '../state/typed-array-codec';
import type { IdStore } from './id-store';
import { readIdStrings, readPackedIds, writePackedIds } from './section-ids';

/** Name of the recent-id section in a snapshot document. */
export const ID_STORE_SECTION = 'recent_ids';

/**
 * Layout the section is written in: 2, the ids as packed columns. Layout 1 (a string per id) is
 * still read; a section of another layout is reported as `unsupported_version` and ignored.
 */
export const ID_STORE_SECTION_LAYOUT = 2;

/**
 * The section of the recent-id store: the ids oldest first, each with its model version (an
 * index into a table of model, version and class names), predicted class, regression output,
 * raw confidence and first-seen time, as columns (the ids packed, see IdStore.columns; no string
 * or object per id is built, so a million ids capture in a few bulk copies). Restored by name
 * rather than by fingerprint: an id seen under an older spec was still counted, so a retry of it
 * is still a duplicate. Ids of a version no longer in the spec are dropped (a retry of them would
 * be refused anyway); a class no longer in the model is kept as none (-1). The newest `capacity`
 * ids are restored, and none older than the maximum age; gaps are skipped. The raw confidences
 * are optional on restore: a snapshot written before they were kept restores them as unknown (NaN).
 */
export function idStoreSection(store: IdStore, layout: SeriesLayout): StateSection {
  const slots: VersionSlot[] = [];
  for (const model of layout.models.values()) for (const slot of model.versions.values()) slots[slot.index] = slot;
  return {
    name: ID_STORE_SECTION,
    durable: true,
    capture: () => {
      const columns = store.columns();
      return {
        layout: ID_STORE_SECTION_LAYOUT,
        versions: slots.map((slot) => ({
          model: slot.model,
          version: slot.version,
          classes: layout.models.get(slot.model)?.spec.classes ?? [],
        })),
        ...writePackedIds(columns),
        version_index: encodeInt32(columns.slots),
        class_index: encodeInt32(columns.classes),
        outputs: encodeFloat64(columns.outputs),
        confidences: encodeFloat32(columns.confidences),
        times_ms: encodeFloat64(columns.times),
      };
    },
    restore: (data, nowMs) => {
      const top = objectAt(data, ID_STORE_SECTION);
      if (top['layout'] !== 1 && top['layout'] !== 2)
        return [
          {
            reason: 'unsupported_version',
            detail: `section ${ID_STORE_SECTION}: layout ${JSON.stringify(top['layout'])}, this exporter reads layouts 1 and 2`,
          },
        ];
      const targets = arrayAt(top['versions'], `${ID_STORE_SECTION}.versions`).map((value, i) =>
        resolveVersion(value, `${ID_STORE_SECTION}.versions[${i}]`, layout),
      );
      const ids = top['layout'] === 1 ? readIdStrings(top, ID_STORE_SECTION) : readPackedIds(top, ID_STORE_SECTION);
      const size = ids.count;
      const column = <T>(key: string, decode: (text: string, length: number, where: string) => T): T =>
        decode(stringAt(top[key], `${ID_STORE_SECTION}.${key}`), size, `${ID_STORE_SECTION}.${key}`);
      const versionIndex = column('version_index', decodeInt32);
      const classIndex = column('class_index', decodeInt32);
      const outputs = column('outputs', decodeFloat64);
      const times = column('times_ms', decodeFloat64);
      const confidences = top['confidences'] === undefined ? undefined : column('confidences', decodeFloat32);

      const oldest = nowMs - store.maxAgeMs;
      const kept: number[] = [];
      const dropped = new Map<number, number>();
      for (let i = 0; i < size; i++) {
        const v = versionIndex[i] as number;
        const target = targets[v];
        if (target === undefined)
          throw new SnapshotFormatError(`${ID_STORE_SECTION}.version_index[${i}]: ${v} is not in versions`);
        const time = times[i] as number;
        if (!Number.isFinite(time))
          throw new SnapshotFormatError(`${ID_STORE_SECTION}.times_ms[${i}]: expected a finite time, got ${time}`);
        if (!ids.has(i)) continue;
        if (target.slot === undefined) dropped.set(v, (dropped.get(v) ?? 0) + 1);
        else if (time >= oldest) kept.push(i);
      }
      for (const i of kept.slice(Math.max(0, kept.length - store.capacity))) {
        const target = targets[versionIndex[i] as number];
        const slot = target?.slot;
        if (target === undefined || slot === undefined) continue;
        const cls = target.classes[classIndex[i] as number] ?? -1;
        const confidence = confidences === undefined ? Number.NaN : (confidences[i] as number);
        ids.claim(store, i, slot.index, cls, outputs[i] as number, times[i] as number, confidence);
      }
      return [...dropped].map(([v, count]): RestoreProblem => ({
        reason: 'unknown_target',
        detail: `${count} recent prediction ids of ${targets[v]?.name ?? '?'} dropped: that version is no longer in the spec`,
      }));
    },
  };
}

/** A version of the snapshot's table, resolved against the running spec: its slot (if any) and its classes' new indexes. */
interface ResolvedVersion {
  readonly name: string;
  readonly slot: VersionSlot | undefined;
  /** By the snapshot's class index: the running model's index of that class, or -1. */
  readonly classes: readonly number[];
}

function resolveVersion(value: unknown, where: string, layout: SeriesLayout): ResolvedVersion {
  const row = objectAt(value, where);
  const model = stringAt(row['model'], `${where}.model`);
  const version = stringAt(row['version'], `${where}.version`);
  const classes = arrayAt(row['classes'], `${where}.classes`).map((c, i) => stringAt(c, `${where}.classes[${i}]`));
  const running = layout.models.get(model);
  return {
    name: `model ${model} version ${version}`,
    slot: running?.versions.get(version),
    classes: classes.map((name) => running?.classIndex.get(name) ?? -1),
  };
}
