import { ID_STORE_EVICTION_REASONS, METRICS } from '../../../spec/src/conventions';
import { IdIndex } from '../../../exporter/src/joins/id-index';
import { IdStore } from '../../../exporter/src/joins/id-store';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';

/** A small deterministic generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('IdIndex', () => {
  test('finds every id it holds and none it does not, through adds and deletes that shift runs back', () => {
    const next = random(11);
    const length = 64;
    const ids: (string | undefined)[] = new Array<string | undefined>(length).fill(undefined);
    const hashes = new Int32Array(length);
    const index = new IdIndex();
    index.rebuild(ids, hashes, length);
    const expected = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const position = Math.floor(next() * length);
      const held = ids[position];
      if (held !== undefined) {
        index.delete(hashes[position] as number, position);
        ids[position] = undefined;
        expected.delete(held);
      } else {
        const id = `id-${Math.floor(next() * 1000)}`;
        if (expected.has(id)) continue;
        const hash = index.hashOf(id);
        ids[position] = id;
        hashes[position] = hash;
        index.add(hash, position);
        expected.set(id, position);
      }
      // Every id of the pool is looked up: held ones at their position, the others not at all.
      if (step % 97 === 0) {
        const wrong = [];
        for (let k = 0; k < 1000; k++) {
          const id = `id-${k}`;
          const found = index.find(id, index.hashOf(id));
          if (found !== (expected.get(id) ?? -1)) wrong.push({ step, id, found, expected: expected.get(id) });
        }
        expect(wrong).toEqual([]);
      }
    }
  });

  test('ids whose hashes share a bucket are told apart by the id itself', () => {
    const index = new IdIndex();
    const ids: (string | undefined)[] = ['a', 'b', 'c'];
    // The same hash for all three: the worst case, one run of colliding entries.
    const hashes = new Int32Array([5, 5, 5]);
    index.rebuild(ids, hashes, 3);
    expect(['a', 'b', 'c'].map((id) => index.find(id, 5))).toEqual([0, 1, 2]);
    index.delete(5, 0);
    ids[0] = undefined;
    expect(index.find('a', 5)).toBe(-1);
    expect(index.find('b', 5)).toBe(1);
    expect(index.find('c', 5)).toBe(2);
  });

  test('two indexes hash the same id differently (the seed is random per process), each consistently', () => {
    const [first, second] = [new IdIndex(), new IdIndex()];
    const ids = Array.from({ length: 8 }, (_, i) => `prediction-${i}`);
    expect(ids.map((id) => first.hashOf(id))).toEqual(ids.map((id) => first.hashOf(id)));
    expect(ids.map((id) => first.hashOf(id))).not.toEqual(ids.map((id) => second.hashOf(id)));
  });
});

describe('IdStore over its index', () => {
  test('random claims against a plain model of the store: same answers, same ids kept, same evictions', () => {
    const next = random(7);
    const evictions = new FixedCounter(
      METRICS.idStoreEvictionsTotal,
      'evictions',
      ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
    );
    const capacity = 1500;
    const maxAgeMs = 4000;
    const store = new IdStore(capacity, maxAgeMs / 1000, evictions);
    // The model: ids in first-seen order with their time; the oldest leave by age first, then by capacity.
    let kept: { id: string; timeMs: number }[] = [];
    let capacityEvictions = 0;
    let ageEvictions = 0;
    // The clock mostly stands or creeps (capacity evictions), now and then it jumps past the maximum age.
    for (let step = 0, nowMs = 0; step < 12_000; step++, nowMs += next() < 0.0004 ? maxAgeMs : Math.floor(next() * 2)) {
      const id = `id-${Math.floor(next() * 4000)}`;
      const fresh = kept.filter((entry) => entry.timeMs >= nowMs - maxAgeMs);
      ageEvictions += kept.length - fresh.length;
      kept = fresh;
      const isNew = !kept.some((entry) => entry.id === id);
      if (isNew) {
        if (kept.length === capacity) {
          kept.shift();
          capacityEvictions++;
        }
        kept.push({ id, timeMs: nowMs });
      }
      expect(store.claim(id, 0, -1, Number.NaN, nowMs)).toBe(isNew);
      if (step % 500 === 499) {
        expect(store.entries(nowMs).map((e) => e.id)).toEqual(kept.map((e) => e.id));
        expect(store.size).toBe(kept.length);
      }
    }
    expect(evictions.value(ID_STORE_EVICTION_REASONS.indexOf('capacity'))).toBe(capacityEvictions);
    expect(evictions.value(ID_STORE_EVICTION_REASONS.indexOf('age'))).toBe(ageEvictions);
    expect(capacityEvictions).toBeGreaterThan(0);
    expect(ageEvictions).toBeGreaterThan(0);
  });
});
