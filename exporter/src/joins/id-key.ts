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
/** By ASCII code: a hexadecimal digit's value, plus 16 for a lowercase letter or 32 for an uppercase one; -1 otherwise. */
const HEX = Int8Array.from({ length: 128 }, (_, unit) => {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit >= 0x61 && unit <= 0x66) return unit - 0x61 + 10 + 16;
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x41 + 10 + 32;
  return -1;
});

const ROLE_DASH = -1;
const ROLE_DIGIT = 0;
/**
 * By character of a canonical UUID: ROLE_DASH, ROLE_DIGIT, or k (1-4) for the digit that ends its
 * k-th 32-bit word (words: characters 0-7, 9-12 and 14-17, 19-22 and 24-27, 28-35).
 */
const UUID_ROLES = Int8Array.from({ length: UUID_LENGTH }, (_, i) => {
  if (i === 8 || i === 13 || i === 18 || i === 23) return ROLE_DASH;
  if (i === 7) return 1;
  if (i === 17) return 2;
  if (i === 27) return 3;
  if (i === 35) return 4;
  return ROLE_DIGIT;
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

  private loadUuid(id: string): boolean {
    let cases = 0;
    let value = 0;
    for (let i = 0; i < UUID_LENGTH; i++) {
      const role = UUID_ROLES[i] as number;
      const unit = id.charCodeAt(i);
      if (role === ROLE_DASH) {
        if (unit !== DASH) return false;
        continue;
      }
      const digit = unit < 128 ? (HEX[unit] as number) : -1;
      if (digit < 0) return false;
      cases |= digit;
      value = (value << 4) | (digit & 15);
      if (role === ROLE_DIGIT) continue;
      if (role === 1) this.w0 = value;
      else if (role === 2) this.w1 = value;
      else if (role === 3) this.w2 = value;
      else this.w3 = value;
      value = 0;
    }
    // Bits 4 and 5 of a digit tell a lowercase letter from an uppercase one; both cases is no UUID of ours.
    cases >>>= 4;
    if (cases === 3) return false;
    this.kind = cases === 2 ? UUID_UPPER : UUID_LOWER;
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
