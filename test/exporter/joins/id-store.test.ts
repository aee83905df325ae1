import { randomUUID } from 'node:crypto';
import { ID_STORE_EVICTION_REASONS, METRICS } from '../../../spec/src/conventions';
import { OUT_OF_LINE } from '../../../exporter/src/joins/id-key';
import { IdStore, evictionSeries } from '../../../exporter/src/joins/id-store';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';

function setUp(capacity: number, maxAgeSeconds: number | null = null) {
  const evictions = new FixedCounter(
    METRICS.idStoreEvictionsTotal,
    'evictions',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  );
  const store = new IdStore(capacity, maxAgeSeconds, evictions);
  return {
    store,
    evicted: (reason: 'capacity' | 'age') => evictions.value(evictionSeries(reason)),
    ids: (nowMs = 0) => store.entries(nowMs).map((e) => e.id),
  };
}

describe('IdStore', () => {
  test('a new id is claimed once; the same id again is a duplicate', () => {
    const { store } = setUp(10);
    expect(store.claim('a', 0, 1, Number.NaN, 100)).toBe(true);
    expect(store.claim('a', 0, 1, Number.NaN, 101)).toBe(false);
    expect(store.claim('b', 0, 0, Number.NaN, 102)).toBe(true);
    expect(store.size).toBe(2);
  });

  test('the first write wins: a duplicate does not change what the store remembers', () => {
    const { store } = setUp(10);
    store.claim('a', 2, 1, 0.5, 100, 0.25);
    store.claim('a', 3, 0, 7, 200, 0.75);
    expect(store.get('a', 300)).toEqual({
      id: 'a',
      slot: 2,
      classIndex: 1,
      output: 0.5,
      confidence: 0.25,
      timeMs: 100,
    });
    expect(store.get('b', 300)).toBeUndefined();
  });

  test('when full, the oldest id leaves first and is counted as a capacity eviction', () => {
    const { store, evicted, ids } = setUp(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) store.claim(id, 0, -1, Number.NaN, 0);
    expect(ids()).toEqual(['c', 'd', 'e']);
    expect(store.size).toBe(3);
    expect(evicted('capacity')).toBe(2);
    expect(evicted('age')).toBe(0);
    // An evicted id is new again; a duplicate does not refresh its id's place in the order.
    expect(store.claim('c', 0, -1, Number.NaN, 0)).toBe(false);
    expect(store.claim('a', 0, -1, Number.NaN, 0)).toBe(true);
    expect(ids()).toEqual(['d', 'e', 'a']);
  });

  test('the ring grows past its first allocation and keeps the order', () => {
    const { store, evicted, ids } = setUp(5000);
    for (let i = 0; i < 6000; i++) store.claim(`id-${i}`, 0, -1, Number.NaN, i);
    expect(store.size).toBe(5000);
    expect(evicted('capacity')).toBe(1000);
    const kept = ids();
    expect(kept[0]).toBe('id-1000');
    expect(kept[4999]).toBe('id-5999');
    expect(store.claim('id-1000', 0, -1, Number.NaN, 7000)).toBe(false);
    expect(store.claim('id-999', 0, -1, Number.NaN, 7000)).toBe(true);
  });

  test('ids older than the maximum age leave on the next claim and are counted as age evictions', () => {
    const { store, evicted, ids } = setUp(100, 10);
    store.claim('a', 0, -1, Number.NaN, 0);
    store.claim('b', 0, -1, Number.NaN, 5_000);
    store.claim('c', 0, -1, Number.NaN, 9_000);
    // At 12 s only `a` (first seen at 0) is older than 10 s.
    expect(store.get('a', 12_000)).toBeUndefined();
    expect(store.claim('d', 0, -1, Number.NaN, 12_000)).toBe(true);
    expect(ids(12_000)).toEqual(['b', 'c', 'd']);
    expect(evicted('age')).toBe(1);
    // Exactly at the age limit an id is still kept; just past it, it is new again.
    expect(store.claim('b', 0, -1, Number.NaN, 15_000)).toBe(false);
    expect(store.claim('b', 0, -1, Number.NaN, 15_001)).toBe(true);
    expect(evicted('age')).toBe(2);
    expect(ids(15_001)).toEqual(['c', 'd', 'b']);
  });

  test('an expired id that is not the oldest (the clock stepped back) is taken anew and counted once', () => {
    const { store, evicted, ids } = setUp(100, 10);
    store.claim('late', 0, -1, Number.NaN, 50_000);
    store.claim('early', 0, -1, Number.NaN, 1_000);
    expect(store.claim('early', 0, -1, Number.NaN, 20_000)).toBe(true);
    expect(evicted('age')).toBe(1);
    expect(ids(20_000)).toEqual(['late', 'early']);
    // When the gap reaches the head it leaves without being counted a second time.
    store.claim('x', 0, -1, Number.NaN, 70_000);
    expect(ids(70_000)).toEqual(['x']);
    expect(evicted('age')).toBe(3);
    expect(store.size).toBe(1);
  });

  test('ids of every kind are told apart and kept exactly: UUIDs in either case, short, long and non-Latin-1 ids', () => {
    const { store, ids } = setUp(100);
    const uuid = '0f8e6c2a-9b1d-4e3f-a5c7-d2b4e6f80123';
    const kinds = [
      uuid,
      uuid.toUpperCase(),
      'pred-1',
      'café',
      '予測-1',
      'id-😀',
      `${'x'.repeat(199)}y`,
      `${'x'.repeat(199)}z`,
    ];
    expect(kinds.map((id, i) => store.claim(id, i, -1, Number.NaN, i))).toEqual(kinds.map(() => true));
    expect(kinds.map((id) => store.claim(id, 0, -1, Number.NaN, 50))).toEqual(kinds.map(() => false));
    expect(ids(50)).toEqual(kinds);
    expect(kinds.map((id) => store.get(id, 50)?.slot)).toEqual(kinds.map((_, i) => i));
    expect(store.get('pred-2', 50)).toBeUndefined();
  });

  test('slots freed by eviction are reused by ids of another kind, and the evicted ids are new again', () => {
    const { store, evicted, ids } = setUp(3);
    const uuid = (n: number) => `0f8e6c2a-9b1d-4e3f-a5c7-${String(n).padStart(12, '0')}`;
    const round = [
      [uuid(1), '予測-1', 'a-prediction-id-longer-than-a-slot-1'],
      ['予測-2', 'short-2', uuid(2)],
      ['a-prediction-id-longer-than-a-slot-3', uuid(3), 'short-3'],
    ];
    for (const batch of round) for (const id of batch) expect(store.claim(id, 0, -1, Number.NaN, 0)).toBe(true);
    expect(ids()).toEqual(round[2]);
    expect(evicted('capacity')).toBe(6);
    for (const id of [...(round[0] ?? []), ...(round[1] ?? [])]) expect(store.get(id, 0)).toBeUndefined();
    for (const id of round[2] ?? []) expect(store.claim(id, 0, -1, Number.NaN, 0)).toBe(false);
  });

  test('a ring that grows while it wraps (ids left by age) keeps every kind of id in order', () => {
    const { store, ids } = setUp(5000, 10);
    const id = (i: number) =>
      i % 3 === 0 ? `0f8e6c2a-9b1d-4e3f-a5c7-${String(i).padStart(12, '0')}` : i % 3 === 1 ? `予測-${i}` : `p-${i}`;
    // 600 ids at 0 s, which leave by age once 1,000 more arrive at 20 s: the ring's head is past
    // its start when it outgrows its first 1,024 positions.
    for (let i = 0; i < 600; i++) store.claim(id(i), 0, -1, Number.NaN, 0);
    for (let i = 600; i < 2200; i++) store.claim(id(i), 0, -1, Number.NaN, 20_000);
    const expected = Array.from({ length: 1600 }, (_, k) => id(600 + k));
    expect(ids(20_000)).toEqual(expected);
    expect(expected.map((kept) => store.claim(kept, 0, -1, Number.NaN, 20_000))).toEqual(expected.map(() => false));
    expect(store.claim(id(599), 0, -1, Number.NaN, 20_000)).toBe(true);
  });

  test('regression: memory of pending predictions (issue 14) — 100,000 UUID ids from a JSON body take 70 bytes each in one buffer, none kept as a string', () => {
    const { store } = setUp(100_000);
    const ids = JSON.parse(JSON.stringify(Array.from({ length: 100_000 }, () => randomUUID()))) as string[];
    for (const id of ids) expect(store.claim(id, 0, 1, Number.NaN, 0)).toBe(true);
    expect(store.stringIds).toBe(0);
    // 49 bytes of ring per id and an index of 2^18 buckets of 8 bytes.
    expect(store.bufferBytes).toBe(100_000 * 49 + 2 ** 18 * 8);
    expect(store.bufferBytes / 100_000).toBeLessThan(71);
    expect(ids.some((id) => store.claim(id, 0, 1, Number.NaN, 0))).toBe(false);
    expect(ids.slice(0, 3).map((id) => store.get(id, 0)?.id)).toEqual(ids.slice(0, 3));
  });

  test('columns hold the used ring oldest first, across its wrap, and claimPacked restores each entry as claim would', () => {
    const { store } = setUp(1024, 10);
    const id = (i: number) =>
      i % 3 === 0 ? `0f8e6c2a-9b1d-4e3f-a5c7-${String(i).padStart(12, '0')}` : i % 3 === 1 ? `予測-${i}` : `p-${i}`;
    // 600 ids leave by age, so the 1,000 after them wrap around the ring's end.
    for (let i = 0; i < 600; i++) store.claim(id(i), 0, -1, Number.NaN, 0);
    for (let i = 600; i < 1600; i++) store.claim(id(i), i % 4, i % 2, i / 2, 20_000 + i, i / 8);
    const columns = store.columns();
    expect(columns.count).toBe(1000);
    expect(columns.outOfLine).toEqual(
      Array.from({ length: 1000 }, (_, k) => id(600 + k)).filter((t) => t.startsWith('予')),
    );
    expect(Array.from(columns.times)).toEqual(Array.from({ length: 1000 }, (_, k) => 20_600 + k));
    const copy = setUp(1024, 10).store;
    let text = 0;
    for (let k = 0; k < columns.count; k++) {
      const kind = columns.kinds[k] as number;
      copy.claimPacked(
        kind,
        columns.words,
        k,
        kind === OUT_OF_LINE ? (columns.outOfLine[text++] as string) : '',
        columns.slots[k] as number,
        columns.classes[k] as number,
        columns.outputs[k] as number,
        columns.times[k] as number,
        columns.confidences[k] as number,
      );
    }
    expect(copy.entries(21_600)).toEqual(store.entries(21_600));
    // Found by their text: the packed keys hash as the parsed ones do.
    for (let i = 600; i < 1600; i++) expect(copy.claim(id(i), 0, -1, Number.NaN, 21_600)).toBe(false);
    expect(copy.claim(id(599), 0, -1, Number.NaN, 21_600)).toBe(true);
  });

  test('capacity 0 remembers nothing, so every id is new', () => {
    const { store } = setUp(0);
    expect(store.claim('a', 0, -1, Number.NaN, 0)).toBe(true);
    expect(store.claim('a', 0, -1, Number.NaN, 0)).toBe(true);
    expect(store.size).toBe(0);
  });
});
