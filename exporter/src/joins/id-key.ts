import { randomInt } from 'node:crypto';

/** Bytes of an id's packed form: a UUID's 128 bits, or up to this many Latin-1 characters. */
export const ID_KEY_BYTES = 16;
/** Kind of a packed UUID of lowercase hexadecimal digits. */
export const UUID_LOWER = 253;
/** Kind of a packed UUID of uppercase hexadecimal digits. */
export const UUID_UPPER = 254;
/** Kind of an id kept as a string. */
export const OUT_OF_LINE = 255;
/** Characters of a UUID in its canonical form, 8-4-4-4-12 hexadecimal digits. */
const UUID_LENGTH = 36;
const DASH = 0x2d;
/** Largest UTF-16 code unit one byte holds (Latin-1). */
const MAX_BYTE_UNIT = 0xff;
/**
 * By UTF-16 code unit: a hexadecimal digit's value, plus 16 for a lowercase letter or 32 for an
 * uppercase one; -1 otherwise. All 65,536 units (64 KiB), so a lookup needs no range check; only
 * the two cache lines of the digits are read in practice.
 */
const HEX = Int8Array.from({ length: 0x10000 }, (_, unit) => {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit >= 0x61 && unit <= 0x66) return unit - 0x61 + 10 + 16;
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x41 + 10 + 32;
  return -1;
});

/**
 * An id in the form the recent-id store keeps it, and its hash: `load` parses an id once per
 * claim or lookup, then the index compares and the arena stores the packed words (see IdArena).
 * A canonical UUID (36 characters, 8-4-4-4-12 hexadecimal digits, all lowercase or all uppercase)
 * packs into four 32-bit words; an id of 1 to ID_KEY_BYTES UTF-16 code units, each at most 0xFF
 * (ASCII, Latin-1), into the same words one byte a code unit; any other id stays a string. The
 * kind (UUID case, byte length, or string) is part of the key, so every id has exactly one packed
 * form and equal keys mean equal ids.
 *
 * The hash is keyed by four random words and a seed per instance (per process), mixed into every
 * word before its multiplications, so which ids share a bucket cannot be chosen by a client (a flood
 * of colliding ids would make every probe long); it is a fast hash, not a cryptographic one.
 */
export class IdKey {
  /** The loaded id's words (UUID or bytes kinds), as int32. */
  w0 = 0;
  w1 = 0;
  w2 = 0;
  w3 = 0;
  /** 1…ID_KEY_BYTES (bytes, that many), UUID_LOWER, UUID_UPPER or OUT_OF_LINE. */
  kind = 0;
  /** The loaded id itself (kept as the string of an OUT_OF_LINE key). */
  text = '';
  private readonly seed = randomInt(0x7fffffff);
  private readonly k0 = randomInt(0x7fffffff);
  private readonly k1 = randomInt(0x7fffffff);
  private readonly k2 = randomInt(0x7fffffff);
  private readonly k3 = randomInt(0x7fffffff);

  /** Parses `id` into this key; its hash. */
  load(id: string): number {
    this.text = id;
    const length = id.length;
    if (length === UUID_LENGTH && this.loadUuid(id)) return this.hashWords();
    if (length >= 1 && length <= ID_KEY_BYTES && this.loadBytes(id)) return this.hashWords();
    this.kind = OUT_OF_LINE;
    return this.hashText(id);
  }

  /**
   * Loads an id already packed (a snapshot's columns, see IdStore.columns): `kind` and the four
   * words of `words` from `at`, or for OUT_OF_LINE the id's `text`, parsed as `load` parses it; its
   * hash, the one `load` gives the same id. The caller checks that the kind is a packed one and
   * that the words fit it (isPackedKind, wordsFitKind).
   */
  loadPacked(kind: number, words: Int32Array, at: number, text: string): number {
    if (kind === OUT_OF_LINE) return this.load(text);
    this.w0 = words[at] as number;
    this.w1 = words[at + 1] as number;
    this.w2 = words[at + 2] as number;
    this.w3 = words[at + 3] as number;
    this.kind = kind;
    this.text = '';
    return this.hashWords();
  }

  private loadUuid(id: string): boolean {
    if (id.charCodeAt(8) !== DASH || id.charCodeAt(13) !== DASH) return false;
    if (id.charCodeAt(18) !== DASH || id.charCodeAt(23) !== DASH) return false;
    const a = hex4(id, 0);
    const b = hex4(id, 4);
    const c = hex4(id, 9);
    const d = hex4(id, 14);
    const e = hex4(id, 19);
    const f = hex4(id, 24);
    const g = hex4(id, 28);
    const h = hex4(id, 32);
    const all = a | b | c | d | e | f | g | h;
    // A non-digit anywhere, or letters of both cases: no UUID of ours.
    if (all < 0 || all >>> 16 === 3) return false;
    this.w0 = (a << 16) | (b & 0xffff);
    this.w1 = (c << 16) | (d & 0xffff);
    this.w2 = (e << 16) | (f & 0xffff);
    this.w3 = (g << 16) | (h & 0xffff);
    this.kind = all >>> 16 === 2 ? UUID_UPPER : UUID_LOWER;
    return true;
  }

  private loadBytes(id: string): boolean {
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    for (let i = 0; i < id.length; i++) {
      const unit = id.charCodeAt(i);
      if (unit > MAX_BYTE_UNIT) return false;
      const shifted = unit << ((i & 3) * 8);
      if (i < 4) w0 |= shifted;
      else if (i < 8) w1 |= shifted;
      else if (i < 12) w2 |= shifted;
      else w3 |= shifted;
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    this.kind = id.length;
    return true;
  }

  /** murmur3's block step on each keyed word, then its finaliser over the kind. */
  private hashWords(): number {
    let h = this.seed ^ this.kind;
    h = mixBlock(h, this.w0 ^ this.k0);
    h = mixBlock(h, this.w1 ^ this.k1);
    h = mixBlock(h, this.w2 ^ this.k2);
    h = mixBlock(h, this.w3 ^ this.k3);
    return finalise(h);
  }

  /** A seeded hash of a string's UTF-16 code units: two FNV-1a style lanes, then murmur3's finaliser. */
  private hashText(id: string): number {
    let a = 0x811c9dc5 ^ this.seed;
    let b = 0x41c6ce57 ^ this.k0;
    for (let i = 0; i < id.length; i++) {
      const unit = id.charCodeAt(i);
      a = Math.imul(a ^ unit, 0x01000193);
      b = Math.imul(b ^ unit, 0x5bd1e995);
    }
    return finalise(a ^ ((b << 16) | (b >>> 16)));
  }
}

/** True when `kind` is one an IdKey loads: 1…ID_KEY_BYTES, UUID_LOWER, UUID_UPPER or OUT_OF_LINE. */
export function isPackedKind(kind: number): boolean {
  return (kind >= 1 && kind <= ID_KEY_BYTES) || kind === UUID_LOWER || kind === UUID_UPPER || kind === OUT_OF_LINE;
}

/**
 * True when the four words of `words` from `at` are what `load` makes of an id of `kind` (a packed
 * kind, not OUT_OF_LINE): an id of n bytes has no bit set past its n-th byte, and an uppercase UUID
 * has a letter (a UUID of digits only loads as UUID_LOWER). So a key read back from a snapshot is
 * the one form its id has, and a lookup of that id finds it.
 */
export function wordsFitKind(kind: number, words: Int32Array, at: number): boolean {
  if (kind === UUID_LOWER) return true;
  if (kind === UUID_UPPER) {
    let letters = 0;
    for (let w = 0; w < 4; w++) letters |= hasLetter(words[at + w] as number);
    return letters !== 0;
  }
  // An id of `kind` bytes fills word w's low `kind - 4w` bytes (0 to 4); every byte above them is 0.
  for (let w = 0; w < 4; w++) {
    const used = Math.min(4, Math.max(0, kind - 4 * w));
    if (used < 4 && (words[at + w] as number) >>> (8 * used) !== 0) return false;
  }
  return true;
}

/** Non-zero when a nibble of `word` is a hexadecimal letter (0xa-0xf: bit 3 and bit 2 or 1). */
function hasLetter(word: number): number {
  return (word >>> 3) & ((word >>> 2) | (word >>> 1)) & 0x11111111;
}

/** A hexadecimal digit's HEX entry, or -1 for any other code unit. */
function digitOf(unit: number): number {
  return HEX[unit] as number;
}

/**
 * The four hexadecimal digits of `id` from `at`: their 16-bit value, with the case bits of its
 * letters at bits 16-17 (1 lowercase, 2 uppercase); -1 when one is no digit.
 */
function hex4(id: string, at: number): number {
  const a = digitOf(id.charCodeAt(at));
  const b = digitOf(id.charCodeAt(at + 1));
  const c = digitOf(id.charCodeAt(at + 2));
  const d = digitOf(id.charCodeAt(at + 3));
  if ((a | b | c | d) < 0) return -1;
  return (((a | b | c | d) >>> 4) << 16) | ((a & 15) << 12) | ((b & 15) << 8) | ((c & 15) << 4) | (d & 15);
}

function mixBlock(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: every bit of the result, the low ones that choose the bucket too, depends on every bit of `h`. */
function finalise(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
