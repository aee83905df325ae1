import {
  IdKey,
  OUT_OF_LINE,
  UUID_LOWER,
  UUID_UPPER,
  isPackedKind,
  wordsFitKind,
} from '../../../exporter/src/joins/id-key';

const IDS = [
  '0f8e6c2a-9b1d-4e3f-a5c7-d2b4e6f80123',
  '0F8E6C2A-9B1D-4E3F-A5C7-D2B4E6F80123',
  '12345678-1234-1234-1234-123456789012',
  'a',
  'abcd',
  'abcde',
  'abcdefghijklmnop',
  'caf\u00e9',
  'abcdefghijklmnopq',
  '予測-1',
];

describe('IdKey, packed', () => {
  test('an id loaded from its packed words hashes and compares as the id parsed from its text', () => {
    const key = new IdKey();
    for (const id of IDS) {
      const hash = key.load(id);
      const kind = key.kind;
      const words = Int32Array.from([7, key.w0, key.w1, key.w2, key.w3]);
      const packed = new IdKey();
      // Another instance has other hash keys: the same instance must give the same hash.
      expect(key.loadPacked(kind, words, 1, kind === OUT_OF_LINE ? id : '')).toBe(hash);
      expect([key.kind, key.w0, key.w1, key.w2, key.w3]).toEqual([kind, words[1], words[2], words[3], words[4]]);
      expect(isPackedKind(kind)).toBe(true);
      if (kind !== OUT_OF_LINE) expect(wordsFitKind(kind, words, 1)).toBe(true);
      expect(packed.loadPacked(kind, words, 1, id)).toBe(packed.load(id));
    }
  });

  test('kinds no id has, and words no id of their kind has, are told apart', () => {
    for (const kind of [0, 17, 100, 252]) expect(isPackedKind(kind)).toBe(false);
    for (const kind of [1, 16, UUID_LOWER, UUID_UPPER, OUT_OF_LINE]) expect(isPackedKind(kind)).toBe(true);
    const key = new IdKey();
    key.load('abcde');
    const words = Int32Array.from([key.w0, key.w1, key.w2, key.w3]);
    expect(wordsFitKind(5, words, 0)).toBe(true);
    expect(wordsFitKind(4, words, 0)).toBe(false);
    expect(wordsFitKind(6, words, 0)).toBe(true);
    expect(wordsFitKind(1, Int32Array.from([0x100, 0, 0, 0]), 0)).toBe(false);
    expect(wordsFitKind(16, Int32Array.from([-1, -1, -1, -1]), 0)).toBe(true);
    expect(wordsFitKind(12, Int32Array.from([-1, -1, -1, 1]), 0)).toBe(false);
    // An uppercase UUID has a letter: one of digits only is a lowercase one.
    key.load('12345678-1234-1234-1234-123456789012');
    const digits = Int32Array.from([key.w0, key.w1, key.w2, key.w3]);
    expect(wordsFitKind(UUID_LOWER, digits, 0)).toBe(true);
    expect(wordsFitKind(UUID_UPPER, digits, 0)).toBe(false);
    expect(wordsFitKind(UUID_UPPER, Int32Array.from([0, 0, 0, 0xa]), 0)).toBe(true);
    expect(wordsFitKind(UUID_UPPER, Int32Array.from([0x90000000 | 0, 0, 0, 0]), 0)).toBe(false);
    expect(wordsFitKind(UUID_UPPER, Int32Array.from([0xf0000000 | 0, 0, 0, 0]), 0)).toBe(true);
  });
});
