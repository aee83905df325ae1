/**
 * The ids of the recent-id and labelled-id sections, written and read back. Layout 2 writes the
 * store's packed ids as columns (see IdStore.columns): no string per id, so capturing a million
 * ids is a few bulk copies and base64. Layout 1, a string per id, is still read.
 */
import { SnapshotFormatError, arrayAt, numberAt, stringAt } from '../state/state-section';
import { decodeInt32, decodeUint8, encodeInt32, encodeUint8 } from '../state/typed-array-codec';
import { OUT_OF_LINE, isPackedKind, wordsFitKind } from './id-key';
import type { IdColumns, IdStore } from './id-store';

/** Longest id a section accepts back: what ingest and label validation accept. */
const MAX_ID_LENGTH = 200;

/** The ids of a section read back, by entry, whatever its layout. */
export interface SectionIds {
  readonly count: number;
  /** False for a gap: an entry whose id was taken anew after it (layout 2). */
  has(entry: number): boolean;
  /** Claims the id of `entry` in `store` with its prediction, as IdStore.claim does. */
  claim(
    store: IdStore,
    entry: number,
    slot: number,
    classIndex: number,
    output: number,
    timeMs: number,
    confidence: number,
  ): void;
}

/** The id fields of a layout-2 section: `count`, `id_words`, `id_kinds` and `out_of_line_ids`. */
export function writePackedIds(columns: IdColumns): Record<string, unknown> {
  return {
    count: columns.count,
    id_words: encodeInt32(columns.words),
    id_kinds: encodeUint8(columns.kinds),
    out_of_line_ids: columns.outOfLine,
  };
}

/**
 * The ids of a layout-2 section `top` named `section`; throws SnapshotFormatError naming the field
 * when a column's length is not the count's, a kind is none an IdKey has or its words do not fit
 * it, or the OUT_OF_LINE ids are not one string of 1-200 characters per OUT_OF_LINE entry.
 */
export function readPackedIds(top: Record<string, unknown>, section: string): SectionIds {
  const count = numberAt(top['count'], `${section}.count`);
  if (!Number.isInteger(count) || count < 0)
    throw new SnapshotFormatError(`${section}.count: expected a whole number of ids, got ${count}`);
  const column = <T>(key: string, length: number, decode: (text: string, length: number, where: string) => T): T =>
    decode(stringAt(top[key], `${section}.${key}`), length, `${section}.${key}`);
  const words = column('id_words', 4 * count, decodeInt32);
  const kinds = column('id_kinds', count, decodeUint8);
  const strings = arrayAt(top['out_of_line_ids'], `${section}.out_of_line_ids`).map((id, i) =>
    checkedId(id, `${section}.out_of_line_ids[${i}]`),
  );
  /** By entry, the OUT_OF_LINE ids (rare: long or non-Latin-1 ids). */
  const outOfLine = new Map<number, string>();
  for (let entry = 0; entry < count; entry++) {
    const kind = kinds[entry] as number;
    if (kind === 0) continue;
    if (!isPackedKind(kind))
      throw new SnapshotFormatError(`${section}.id_kinds[${entry}]: ${kind} is no id kind (0-16, 253, 254 or 255)`);
    if (kind === OUT_OF_LINE) {
      const id = strings[outOfLine.size];
      if (id === undefined)
        throw new SnapshotFormatError(
          `${section}.out_of_line_ids: fewer ids (${strings.length}) than OUT_OF_LINE entries of id_kinds`,
        );
      outOfLine.set(entry, id);
    } else if (!wordsFitKind(kind, words, 4 * entry))
      throw new SnapshotFormatError(`${section}.id_words[${entry}]: the words are no id of kind ${kind}`);
  }
  if (outOfLine.size !== strings.length)
    throw new SnapshotFormatError(
      `${section}.out_of_line_ids: ${strings.length} ids for ${outOfLine.size} OUT_OF_LINE entries of id_kinds`,
    );
  return {
    count,
    has: (entry) => kinds[entry] !== 0,
    claim: (store, entry, slot, classIndex, output, timeMs, confidence) => {
      store.claimPacked(
        kinds[entry] as number,
        words,
        entry,
        outOfLine.get(entry) ?? '',
        slot,
        classIndex,
        output,
        timeMs,
        confidence,
      );
    },
  };
}

/** The ids of a layout-1 section `top` named `section`: its `ids`, a string each. */
export function readIdStrings(top: Record<string, unknown>, section: string): SectionIds {
  const ids = arrayAt(top['ids'], `${section}.ids`).map((id, i) => checkedId(id, `${section}.ids[${i}]`));
  return {
    count: ids.length,
    has: () => true,
    claim: (store, entry, slot, classIndex, output, timeMs, confidence) => {
      store.claim(ids[entry] as string, slot, classIndex, output, timeMs, confidence);
    },
  };
}

function checkedId(value: unknown, where: string): string {
  const text = stringAt(value, where);
  if (text.length === 0 || text.length > MAX_ID_LENGTH)
    throw new SnapshotFormatError(`${where}: expected 1-${MAX_ID_LENGTH} characters, got ${text.length}`);
  return text;
}
