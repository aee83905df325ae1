import { randomUUID } from 'node:crypto';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../../spec/src/conventions';
import { loadSpec } from '../../../spec/src/load-spec';
import { ID_STORE_SECTION, idStoreSection } from '../../../exporter/src/joins/id-store-section';
import { OUT_OF_LINE, UUID_LOWER, UUID_UPPER } from '../../../exporter/src/joins/id-key';
import { IdStore, type RememberedPrediction } from '../../../exporter/src/joins/id-store';
import { LABELLED_ID_SECTION, labelledIdSection } from '../../../exporter/src/joins/labelled-id-section';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import { SeriesLayout } from '../../../exporter/src/metrics/series-layout';
import { SnapshotFormatError } from '../../../exporter/src/state/state-section';
import {
  decodeUint8,
  encodeFloat32,
  encodeFloat64,
  encodeInt32,
  encodeUint8,
} from '../../../exporter/src/state/typed-array-codec';
import { arrayAt, objectAt, type Doc } from '../../support/document';
import { removeAllQuality, writeDemoSpec } from '../../support/demo-spec';

function newStore(capacity: number, maxAgeSeconds: number | null = null): IdStore {
  const evictions = new FixedCounter(
    METRICS.idStoreEvictionsTotal,
    'evictions',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  );
  return new IdStore(capacity, maxAgeSeconds, evictions);
}

/** The demo spec's series layout (fraud v1 = slot 0, fraud v2 = slot 1, spend v1 = slot 2), edited. */
function layoutOf(edit: (spec: Doc) => void = removeAllQuality): SeriesLayout {
  return new SeriesLayout(loadSpec(writeDemoSpec(edit).file).spec);
}

const LAYOUT = layoutOf();

/** `data` through JSON, as the snapshot file holds it. */
function throughJson(data: unknown): Doc {
  return JSON.parse(JSON.stringify(data)) as Doc;
}

/** Ids of every kind the store packs or keeps as strings. */
const IDS = [
  randomUUID(),
  randomUUID().toUpperCase(),
  // Digits only: a UUID of no case, packed as lowercase.
  '12345678-1234-1234-1234-123456789012',
  'a',
  'abcdefghijklmnop',
  'caf\u00e9-\u00ff',
  // Out of line: 17 characters, 200, non-Latin-1, a UUID of mixed case.
  'abcdefghijklmnopq',
  'x'.repeat(200),
  'ключ-0001',
  '0f8e6c2a-9b1d-4e3f-A5C7-d2b4e6f80123',
];
const OUT_OF_LINE_IDS = IDS.slice(6);

/**
 * `store` with IDS claimed oldest first, at times 1000, 2000, …, each with its own prediction: in
 * turn fraud v1, fraud v2 and spend v1 (slots 0, 1, 2; spend is a regression model: no class).
 */
function filled(store: IdStore): IdStore {
  IDS.forEach((id, i) => store.claim(id, i % 3, i % 3 === 2 ? -1 : i % 2, i / 4, 1000 * (i + 1), i / 16));
  return store;
}

function entries(store: IdStore, nowMs: number): RememberedPrediction[] {
  return store.entries(nowMs);
}

describe('the recent-id section, layout 2 (packed ids as columns)', () => {
  test('a round trip keeps every id exactly, each with its version, class, output, confidence and time, oldest first', () => {
    const before = filled(newStore(100));
    const data = throughJson(idStoreSection(before, LAYOUT).capture(20_000));
    expect(data['layout']).toBe(2);
    expect(data['ids']).toBeUndefined();
    expect(data['count']).toBe(IDS.length);
    expect(data['out_of_line_ids']).toEqual(OUT_OF_LINE_IDS);
    expect(Array.from(decodeUint8(String(data['id_kinds']), IDS.length, 'id_kinds'))).toEqual([
      UUID_LOWER,
      UUID_UPPER,
      UUID_LOWER,
      1,
      16,
      6,
      OUT_OF_LINE,
      OUT_OF_LINE,
      OUT_OF_LINE,
      OUT_OF_LINE,
    ]);
    const after = newStore(100);
    expect(idStoreSection(after, LAYOUT).restore(data, 20_000)).toEqual([]);
    expect(entries(after, 20_000)).toEqual(entries(before, 20_000));
    expect(entries(after, 20_000).map((e) => e.id)).toEqual(IDS);
    // Each restored id is found by its text, and is a duplicate.
    for (const id of IDS) expect(after.claim(id, 0, 0, 0, 20_000)).toBe(false);
    expect(after.stringIds).toBe(OUT_OF_LINE_IDS.length);
  });

  test('a gap (an id taken anew when the clock stepped back) is written and skipped on restore', () => {
    const before = newStore(100, 10);
    before.claim('late', 0, 1, 0, 50_000);
    before.claim('early', 0, 0, 0, 1_000);
    expect(before.claim('early', 1, 1, 0, 20_000)).toBe(true);
    const data = throughJson(idStoreSection(before, LAYOUT).capture(20_000));
    expect(data['count']).toBe(3);
    expect(Array.from(decodeUint8(String(data['id_kinds']), 3, 'id_kinds'))).toEqual([4, 0, 5]);
    const after = newStore(100, 10);
    expect(idStoreSection(after, LAYOUT).restore(data, 20_000)).toEqual([]);
    expect(entries(after, 20_000).map((e) => [e.id, e.slot, e.timeMs])).toEqual([
      ['late', 0, 50_000],
      ['early', 1, 20_000],
    ]);
  });

  test('a smaller capacity keeps the newest ids and ids past the maximum age are not restored', () => {
    const data = throughJson(idStoreSection(filled(newStore(100)), LAYOUT).capture(10_000));
    const aged = newStore(100, 5);
    idStoreSection(aged, LAYOUT).restore(data, 11_000);
    expect(entries(aged, 11_000).map((e) => e.id)).toEqual(IDS.slice(5));
    const small = newStore(3, 5);
    idStoreSection(small, LAYOUT).restore(data, 11_000);
    expect(entries(small, 11_000).map((e) => e.id)).toEqual(IDS.slice(7));
  });

  test('ids of a version no longer in the spec are dropped and reported; classes are remapped by name', () => {
    const data = throughJson(idStoreSection(filled(newStore(100)), LAYOUT).capture(10_000));
    // fraud's classes in another order, and no v2.
    const edited = layoutOf((spec) => {
      removeAllQuality(spec);
      const fraud = objectAt(arrayAt(spec, 'models')[0]);
      fraud['classes'] = ['fraud', 'legit'];
      fraud['versions'] = [{ ...objectAt(arrayAt(fraud, 'versions')[0]), weight: 1 }];
      delete fraud['canary'];
    });
    const after = newStore(100);
    expect(idStoreSection(after, edited).restore(data, 10_000)).toEqual([
      {
        reason: 'unknown_target',
        detail: '3 recent prediction ids of model fraud version v2 dropped: that version is no longer in the spec',
      },
    ]);
    const kept = entries(after, 10_000);
    expect(kept.map((e) => e.id)).toEqual(IDS.filter((_, i) => i % 3 !== 1));
    // IDS[0] was fraud v1's class 0 (legit), now class 1; the spend model (slot 2 before) is slot 1 now.
    expect(kept.map((e) => [e.slot, e.classIndex]).slice(0, 2)).toEqual([
      [0, 1],
      [1, -1],
    ]);
  });

  test('a layout-1 section (a string per id, as the previous release wrote it) still restores', () => {
    const ids = [IDS[0], 'short', 'ключ'];
    const data = {
      layout: 1,
      versions: [{ model: 'fraud', version: 'v1', classes: ['legit', 'fraud'] }],
      ids,
      version_index: encodeInt32(Int32Array.from([0, 0, 0])),
      class_index: encodeInt32(Int32Array.from([1, 0, -1])),
      outputs: encodeFloat64(Float64Array.from([Number.NaN, Number.NaN, Number.NaN])),
      confidences: encodeFloat32(Float32Array.from([0.5, 0.25, Number.NaN])),
      times_ms: encodeFloat64(Float64Array.from([1000, 2000, 3000])),
    };
    const after = newStore(100);
    expect(idStoreSection(after, LAYOUT).restore(throughJson(data), 3000)).toEqual([]);
    expect(entries(after, 3000).map((e) => [e.id, e.slot, e.classIndex, e.confidence, e.timeMs])).toEqual([
      [IDS[0], 0, 1, 0.5, 1000],
      ['short', 0, 0, 0.25, 2000],
      ['ключ', 0, -1, Number.NaN, 3000],
    ]);
  });
});

describe('the labelled-id section, layout 2', () => {
  test('a round trip keeps every id and its time; a gap and ids past the maximum age are skipped', () => {
    const before = newStore(100, 10);
    IDS.forEach((id, i) => before.claim(id, -1, -1, Number.NaN, 30_000 + i));
    before.claim('back', -1, -1, Number.NaN, 1_000);
    before.claim('back', -1, -1, Number.NaN, 30_100);
    const data = throughJson(labelledIdSection(before).capture(30_100));
    expect(data['layout']).toBe(2);
    expect(data['out_of_line_ids']).toEqual(OUT_OF_LINE_IDS);
    const after = newStore(100, 10);
    expect(labelledIdSection(after).restore(data, 30_100)).toEqual([]);
    expect(entries(after, 30_100).map((e) => [e.id, e.timeMs])).toEqual([
      ...IDS.map((id, i) => [id, 30_000 + i]),
      ['back', 30_100],
    ]);
    const aged = newStore(2, 10);
    labelledIdSection(aged).restore(data, 40_005);
    expect(entries(aged, 40_005).map((e) => e.id)).toEqual([IDS[9], 'back']);
  });

  test('a layout-1 section still restores', () => {
    const data = { layout: 1, ids: ['p1', IDS[1]], times_ms: encodeFloat64(Float64Array.from([1000, 2000])) };
    const after = newStore(100);
    expect(labelledIdSection(after).restore(throughJson(data), 2000)).toEqual([]);
    expect(entries(after, 2000).map((e) => [e.id, e.timeMs])).toEqual([
      ['p1', 1000],
      [IDS[1], 2000],
    ]);
  });
});

describe('a corrupt layout-2 section is refused, naming the field', () => {
  /** A captured recent-id section of IDS with `edit` applied. */
  function corrupt(edit: (data: Doc) => void): () => void {
    const data = throughJson(idStoreSection(filled(newStore(100)), LAYOUT).capture(20_000));
    edit(data);
    return () => idStoreSection(newStore(100), LAYOUT).restore(data, 20_000);
  }
  const kinds = (values: number[]): string => encodeUint8(Uint8Array.from(values));
  const words = (values: number[]): string => encodeInt32(Int32Array.from(values));
  /** IDS' kinds with entry `at` set to `kind`. */
  function kindsWith(at: number, kind: number): string {
    const all = [UUID_LOWER, UUID_UPPER, UUID_LOWER, 1, 16, 6, OUT_OF_LINE, OUT_OF_LINE, OUT_OF_LINE, OUT_OF_LINE];
    all[at] = kind;
    return kinds(all);
  }

  test.each<[string, (data: Doc) => void, string]>([
    ['a negative count', (d) => (d['count'] = -1), 'recent_ids.count: expected a whole number of ids, got -1'],
    ['a fractional count', (d) => (d['count'] = 2.5), 'recent_ids.count: expected a whole number of ids, got 2.5'],
    ['no count', (d) => delete d['count'], 'recent_ids.count: expected a finite number, got undefined'],
    ['words for fewer ids', (d) => (d['id_words'] = words([1, 2, 3, 4])), 'recent_ids.id_words: expected 160 bytes'],
    [
      'kinds for more ids',
      (d) => (d['id_kinds'] = kinds(new Array<number>(11).fill(1))),
      'recent_ids.id_kinds: expected 10',
    ],
    ['no kinds', (d) => delete d['id_kinds'], 'recent_ids.id_kinds: expected a string, got undefined'],
    ['a kind no id has', (d) => (d['id_kinds'] = kindsWith(3, 17)), 'recent_ids.id_kinds[3]: 17 is no id kind'],
    ['another kind no id has', (d) => (d['id_kinds'] = kindsWith(0, 200)), 'recent_ids.id_kinds[0]: 200 is no id'],
    // IDS[4] is 16 bytes: as a 1-byte id its other bytes are set.
    ['words that do not fit the kind', (d) => (d['id_kinds'] = kindsWith(4, 1)), 'recent_ids.id_words[4]: the words'],
    // IDS[2] is all digits: no uppercase UUID.
    ['an uppercase UUID of no letter', (d) => (d['id_kinds'] = kindsWith(2, UUID_UPPER)), 'recent_ids.id_words[2]'],
    [
      'fewer out-of-line ids than OUT_OF_LINE kinds',
      (d) => (d['out_of_line_ids'] = OUT_OF_LINE_IDS.slice(1)),
      'recent_ids.out_of_line_ids: fewer ids (3) than OUT_OF_LINE entries of id_kinds',
    ],
    [
      'more out-of-line ids than OUT_OF_LINE kinds',
      (d) => (d['out_of_line_ids'] = [...OUT_OF_LINE_IDS, 'extra']),
      'recent_ids.out_of_line_ids: 5 ids for 4 OUT_OF_LINE entries of id_kinds',
    ],
    [
      'an empty out-of-line id',
      (d) => (d['out_of_line_ids'] = ['', ...OUT_OF_LINE_IDS.slice(1)]),
      'recent_ids.out_of_line_ids[0]: expected 1-200 characters, got 0',
    ],
    [
      'an out-of-line id of 201 characters',
      (d) => (d['out_of_line_ids'] = [...OUT_OF_LINE_IDS.slice(0, 3), 'y'.repeat(201)]),
      'recent_ids.out_of_line_ids[3]: expected 1-200 characters, got 201',
    ],
    [
      'an out-of-line id that is no string',
      (d) => (d['out_of_line_ids'] = [7, ...OUT_OF_LINE_IDS.slice(1)]),
      'recent_ids.out_of_line_ids[0]: expected a string, got number',
    ],
    ['no out-of-line ids', (d) => delete d['out_of_line_ids'], 'recent_ids.out_of_line_ids: expected an array'],
    [
      'a time that is not finite',
      (d) => (d['times_ms'] = encodeFloat64(Float64Array.from(IDS, (_, i) => (i === 5 ? Number.NaN : 1000)))),
      'recent_ids.times_ms[5]: expected a finite time, got NaN',
    ],
    [
      'times of fewer ids',
      (d) => (d['times_ms'] = encodeFloat64(new Float64Array(9))),
      'recent_ids.times_ms: expected',
    ],
    ['versions of fewer ids', (d) => (d['version_index'] = words([0])), 'recent_ids.version_index: expected 40 bytes'],
    ['classes of fewer ids', (d) => (d['class_index'] = words([0])), 'recent_ids.class_index: expected 40 bytes'],
    [
      'outputs of fewer ids',
      (d) => (d['outputs'] = encodeFloat64(new Float64Array(1))),
      'recent_ids.outputs: expected',
    ],
    [
      'confidences of fewer ids',
      (d) => (d['confidences'] = encodeFloat32(new Float32Array(1))),
      'recent_ids.confidences: expected 40 bytes',
    ],
  ])('%s', (_, edit, message) => {
    const restore = corrupt(edit);
    expect(restore).toThrow(SnapshotFormatError);
    expect(restore).toThrow(message);
  });

  test('the labelled-id section names its own fields', () => {
    const data = throughJson(labelledIdSection(filled(newStore(100))).capture(20_000));
    data['id_kinds'] = kindsWith(1, 99);
    expect(() => labelledIdSection(newStore(100)).restore(data, 20_000)).toThrow(
      `${LABELLED_ID_SECTION}.id_kinds[1]: 99 is no id kind`,
    );
    const short = throughJson(labelledIdSection(filled(newStore(100))).capture(20_000));
    short['times_ms'] = encodeFloat64(new Float64Array(3));
    expect(() => labelledIdSection(newStore(100)).restore(short, 20_000)).toThrow(
      `${LABELLED_ID_SECTION}.times_ms: expected 80 bytes of base64, got 24`,
    );
    expect(ID_STORE_SECTION).toBe('recent_ids');
  });
});
