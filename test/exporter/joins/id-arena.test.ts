import { IdArena } from '../../../exporter/src/joins/id-arena';
import { ID_KEY_BYTES, IdKey, OUT_OF_LINE, UUID_LOWER, UUID_UPPER } from '../../../exporter/src/joins/id-key';

const key = new IdKey();

/** Puts `id` at `position` of `arena`, as the store does: loaded into a key first. */
function put(arena: IdArena, position: number, id: string): void {
  key.load(id);
  arena.set(position, key);
}

/** True when `arena` holds `id` at `position`. */
function same(arena: IdArena, position: number, id: string): boolean {
  key.load(id);
  return arena.matches(position, key);
}

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

const UUID = '0f8e6c2a-9b1d-4e3f-a5c7-d2b4e6f80123';

/** Each id in its own position of a fresh arena: the ids read back, and how many went to the side table. */
function keep(ids: readonly string[]): { back: (string | undefined)[]; outOfLine: number; arena: IdArena } {
  const arena = new IdArena(ids.length);
  ids.forEach((id, position) => put(arena, position, id));
  return { back: ids.map((_, position) => arena.get(position)), outOfLine: arena.outOfLineCount, arena };
}

describe('IdArena', () => {
  test('a canonical UUID, lowercase or uppercase, is packed into its 16 bytes and read back exactly', () => {
    const ids = [
      UUID,
      UUID.toUpperCase(),
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ];
    const { back, outOfLine, arena } = keep(ids);
    expect(back).toEqual(ids);
    expect(outOfLine).toBe(0);
    expect(ID_KEY_BYTES).toBe(16);
    // The case is part of the id: the lowercase UUID is not its uppercase twin.
    expect(same(arena, 0, UUID)).toBe(true);
    expect(same(arena, 0, UUID.toUpperCase())).toBe(false);
    expect(same(arena, 1, UUID)).toBe(false);
    expect(same(arena, 1, UUID.toUpperCase())).toBe(true);
  });

  test('a packed UUID equals no other id: one digit, one dash or the length apart', () => {
    const { arena } = keep([UUID]);
    const others = [
      `${UUID.slice(0, 35)}4`,
      `1${UUID.slice(1)}`,
      `${UUID.slice(0, 8)}_${UUID.slice(9)}`,
      UUID.replace(/-/g, ''),
      `${UUID}0`,
      UUID.slice(0, 16),
    ];
    expect(others.map((id) => same(arena, 0, id))).toEqual(others.map(() => false));
  });

  test('36 characters that are not a canonical UUID (mixed case, a non-digit, dashes elsewhere) are kept as strings, exactly', () => {
    const ids = [
      '0F8e6c2a-9b1d-4e3f-a5c7-d2b4e6f80123',
      '0g8e6c2a-9b1d-4e3f-a5c7-d2b4e6f80123',
      '0f8e6c2a9-b1d-4e3f-a5c7-d2b4e6f80123',
      'an-id-of-exactly-thirty-six-chars-xx',
    ];
    const { back, outOfLine, arena } = keep(ids);
    expect(back).toEqual(ids);
    expect(outOfLine).toBe(4);
    expect(same(arena, 0, UUID)).toBe(false);
    expect(same(arena, 0, ids[0] as string)).toBe(true);
  });

  test('ids of up to 16 Latin-1 characters are bytes; a 17th character, or one above 0xFF, sends an id to the side table', () => {
    const bytes = ['a', 'pred-0000000001', 'sixteen-chars-id', 'café-ñandú-ß', '\u00ff\u0001'];
    const strings = ['seventeen-chars-i', '予測-1', 'id-😀', 'a-prediction-id-longer-than-any-slot-of-the-arena'];
    const { back, outOfLine, arena } = keep([...bytes, ...strings]);
    expect(back).toEqual([...bytes, ...strings]);
    expect(outOfLine).toBe(strings.length);
    // A stored id is not equal to its prefix or its extension.
    expect(same(arena, 1, 'pred-000000000')).toBe(false);
    expect(same(arena, 1, 'pred-00000000012')).toBe(false);
    expect(same(arena, 0, '')).toBe(false);
  });

  test('a cleared position holds nothing and takes an id of another kind; the side table counts what it holds', () => {
    const arena = new IdArena(2);
    put(arena, 0, '予測-1');
    expect(arena.outOfLineCount).toBe(1);
    arena.clear(0);
    expect([arena.has(0), arena.get(0), same(arena, 0, '予測-1'), arena.outOfLineCount]).toEqual([
      false,
      undefined,
      false,
      0,
    ]);
    put(arena, 0, UUID);
    expect([arena.get(0), arena.outOfLineCount]).toEqual([UUID, 0]);
    arena.clear(0);
    put(arena, 0, 'short');
    expect(same(arena, 0, 'short')).toBe(true);
    expect(same(arena, 0, UUID)).toBe(false);
  });

  test('copying runs of positions carries bytes, UUIDs and side-table ids to their new places', () => {
    const ids = ['a', UUID, '予測-1', 'a-prediction-id-longer-than-a-slot'];
    const { arena } = keep(ids);
    const grown = new IdArena(8);
    grown.copyFrom(arena, 2, 0, 2);
    grown.copyFrom(arena, 0, 2, 2);
    expect([0, 1, 2, 3, 4].map((position) => grown.get(position))).toEqual([ids[2], ids[3], ids[0], ids[1], undefined]);
    expect(grown.outOfLineCount).toBe(2);
    expect(same(grown, 0, '予測-1')).toBe(true);
  });

  test('copying out a run gives each position’s words and kind in bulk, and its side-table ids in position order', () => {
    const ids = ['a', UUID, '予測-1', UUID.toUpperCase(), 'a-prediction-id-longer-than-a-slot', 'b'];
    const { arena } = keep(ids);
    arena.clear(5);
    const words = new Int32Array(4 * 6).fill(-1);
    const kinds = new Uint8Array(6).fill(99);
    const outOfLine: string[] = [];
    arena.copyOut(3, 3, words, kinds, 0, outOfLine);
    arena.copyOut(0, 3, words, kinds, 3, outOfLine);
    expect(Array.from(kinds)).toEqual([UUID_UPPER, OUT_OF_LINE, 0, 1, UUID_LOWER, OUT_OF_LINE]);
    expect(outOfLine).toEqual(['a-prediction-id-longer-than-a-slot', '予測-1']);
    key.load(UUID);
    expect(Array.from(words.subarray(16, 20))).toEqual([key.w0, key.w1, key.w2, key.w3]);
    expect(Array.from(words.subarray(0, 4))).toEqual([key.w0, key.w1, key.w2, key.w3]);
    expect(Array.from(words.subarray(12, 16))).toEqual([0x61, 0, 0, 0]);
  });

  test('random ids of every kind set, cleared and compared against a plain model of the arena', () => {
    const next = random(3);
    const pick = (): string => {
      const n = Math.floor(next() * 1e6);
      const hex = n.toString(16).padStart(12, '0');
      switch (Math.floor(next() * 5)) {
        case 0:
          return `0f8e6c2a-9b1d-4e3f-a5c7-${hex}`;
        case 1:
          return `0F8E6C2A-9B1D-4E3F-A5C7-${hex.toUpperCase()}`;
        case 2:
          return `p-${n}`;
        case 3:
          return `é-${n}-予`;
        default:
          return `a-long-prediction-id-${n}`;
      }
    };
    const length = 128;
    const arena = new IdArena(length);
    const model: (string | undefined)[] = new Array<string | undefined>(length).fill(undefined);
    for (let step = 0; step < 20_000; step++) {
      const position = Math.floor(next() * length);
      if (model[position] === undefined) {
        const id = pick();
        put(arena, position, id);
        model[position] = id;
      } else if (next() < 0.5) {
        arena.clear(position);
        model[position] = undefined;
      }
      const probe = next() < 0.5 ? (model[position] ?? pick()) : pick();
      expect(same(arena, position, probe)).toBe(model[position] === probe);
      expect(arena.get(position)).toBe(model[position]);
    }
    // The non-Latin-1 ids and the long ones are strings; UUIDs and short ids are bytes.
    const strings = model.filter((id) => id !== undefined && (id.startsWith('é') || id.startsWith('a-long')));
    expect(arena.outOfLineCount).toBe(strings.length);
  });
});
