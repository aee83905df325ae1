import { ID_STORE_EVICTION_REASONS, METRICS } from '../../../spec/src/conventions';
import { IdArena } from '../../../exporter/src/joins/id-arena';
import { IdIndex } from '../../../exporter/src/joins/id-index';
import { IdKey } from '../../../exporter/src/joins/id-key';
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
    const ids = new IdArena(length);
    const hashes = new Int32Array(length);
    const index = new IdIndex();
    const key = new IdKey();
    index.rebuild(ids, hashes, new Int32Array(IdIndex.tableLength(length)));
    const expected = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const position = Math.floor(next() * length);
      const held = ids.get(position);
      if (held !== undefined) {
        index.delete(hashes[position] as number, position);
        ids.clear(position);
        expected.delete(held);
      } else {
        const id = `id-${Math.floor(next() * 1000)}`;
        if (expected.has(id)) continue;
        const hash = key.load(id);
        ids.set(position, key);
        hashes[position] = hash;
        index.add(hash, position);
        expected.set(id, position);
      }
      // Every id of the pool is looked up: held ones at their position, the others not at all.
      if (step % 97 === 0) {
        const wrong = [];
        for (let k = 0; k < 1000; k++) {
          const id = `id-${k}`;
          const found = index.find(key, key.load(id));
          if (found !== (expected.get(id) ?? -1)) wrong.push({ step, id, found, expected: expected.get(id) });
        }
        expect(wrong).toEqual([]);
      }
    }
  });

  test('ids whose hashes share a bucket are told apart by the id itself, whichever way each is kept', () => {
    const index = new IdIndex();
    const key = new IdKey();
    /** The position `index` finds `id` at under the hash 5. */
    const at = (id: string): number => {
      key.load(id);
      return index.find(key, 5);
    };
    // A short id (bytes), a UUID (packed), a long id and a non-Latin-1 one (strings).
    const kept = ['a', '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', 'a-prediction-id-longer-than-a-slot', '予測-1'];
    const ids = new IdArena(kept.length);
    kept.forEach((id, position) => {
      key.load(id);
      ids.set(position, key);
    });
    // The same hash for all four: the worst case, one run of colliding entries.
    const hashes = new Int32Array(kept.length).fill(5);
    index.rebuild(ids, hashes, new Int32Array(IdIndex.tableLength(kept.length)));
    expect(kept.map(at)).toEqual([0, 1, 2, 3]);
    const others = ['b', '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5e', '6F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F', '予測-2'];
    expect(others.map(at)).toEqual([-1, -1, -1, -1]);
    index.delete(5, 0);
    ids.clear(0);
    expect(at('a')).toBe(-1);
    expect(kept.slice(1).map(at)).toEqual([1, 2, 3]);
  });

  test('a table of the wrong size for the ring is refused', () => {
    expect(() => new IdIndex().rebuild(new IdArena(100), new Int32Array(100), new Int32Array(64))).toThrow(
      'IdIndex: a table of 64 numbers for 100 positions, expected 512',
    );
  });

  test('two keys hash the same id differently (their hash keys are random per instance), each consistently, of every kind', () => {
    const [first, second] = [new IdKey(), new IdKey()];
    const ids = [
      ...Array.from({ length: 4 }, (_, i) => `prediction-${i}`),
      ...Array.from({ length: 4 }, (_, i) => `6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5${i}`),
      ...Array.from({ length: 4 }, (_, i) => `a-prediction-id-longer-than-a-slot-${i}`),
    ];
    expect(ids.map((id) => first.load(id))).toEqual(ids.map((id) => first.load(id)));
    expect(ids.map((id) => first.load(id))).not.toEqual(ids.map((id) => second.load(id)));
    expect(new Set(ids.map((id) => first.load(id))).size).toBe(ids.length);
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
