import { ID_KEY_BYTES, OUT_OF_LINE, UUID_LOWER, type IdKey } from './id-key';

/** Words of a position's packed id. */
const WORDS = ID_KEY_BYTES / 4;
/** Each byte as two hex digits, by case: a snapshot turns a million packed UUIDs back into text. */
const LOWER_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const UPPER_PAIRS: readonly string[] = LOWER_PAIRS.map((pair) => pair.toUpperCase());

/**
 * The ids of the recent-id store by ring position, packed (see IdKey): four 32-bit words and a
 * kind byte a position, so a UUID, or an id of up to 16 Latin-1 characters, costs 17 bytes and no
 * JS object, where a string cost a 56-byte heap object and an 8-byte pointer, which every full GC
 * visited. Any other id (longer, mixed-case, or with a code unit above 0xFF) is kept as a string in
 * a side table by position, allocated when the first such id arrives: 8 bytes a position from
 * then on, and the string's own size.
 */
export class IdArena {
  /** Position p's packed id at [4p, 4p + 4). */
  private readonly words: Int32Array;
  /** By position: 0 for none, else the id's IdKey kind. */
  private readonly kinds: Uint8Array;
  /** The ids kept as strings, by position; empty until the first one. */
  private strings: (string | undefined)[] = [];
  /** Ids in `strings`. */
  private stringCount = 0;

  constructor(
    /** Positions held. */
    readonly length: number,
    /** Where the arena lives: IdArena.bytesFor(length) zeroed bytes of `buffer` from `offset` (a multiple of 4) on. */
    buffer = new ArrayBuffer(IdArena.bytesFor(length)),
    offset = 0,
  ) {
    this.words = new Int32Array(buffer, offset, WORDS * length);
    this.kinds = new Uint8Array(buffer, offset + ID_KEY_BYTES * length, length);
  }

  /** Bytes an arena of `length` positions takes (its side table apart). */
  static bytesFor(length: number): number {
    return length * (ID_KEY_BYTES + 1);
  }

  /** Ids kept as strings in the side table, not packed. */
  get outOfLineCount(): number {
    return this.stringCount;
  }

  /** True when `position` holds an id. */
  has(position: number): boolean {
    return this.kinds[position] !== 0;
  }

  /** Puts the id loaded in `key` at `position` (which holds none). */
  set(position: number, key: IdKey): void {
    const kind = key.kind;
    this.kinds[position] = kind;
    if (kind === OUT_OF_LINE) {
      if (this.strings.length === 0) this.strings = new Array<string | undefined>(this.length).fill(undefined);
      this.strings[position] = key.text;
      this.stringCount++;
      return;
    }
    const at = WORDS * position;
    this.words[at] = key.w0;
    this.words[at + 1] = key.w1;
    this.words[at + 2] = key.w2;
    this.words[at + 3] = key.w3;
  }

  /** True when `position` holds the id loaded in `key`. */
  matches(position: number, key: IdKey): boolean {
    const kind = key.kind;
    if (this.kinds[position] !== kind) return false;
    if (kind === OUT_OF_LINE) return this.strings[position] === key.text;
    const at = WORDS * position;
    return (
      this.words[at] === key.w0 &&
      this.words[at + 1] === key.w1 &&
      this.words[at + 2] === key.w2 &&
      this.words[at + 3] === key.w3
    );
  }

  /** The id at `position`, or undefined; builds a string from its words, so for snapshots and tests, not the hot path. */
  get(position: number): string | undefined {
    const kind = this.kinds[position] as number;
    if (kind === 0) return undefined;
    if (kind === OUT_OF_LINE) return this.strings[position];
    const at = WORDS * position;
    if (kind <= ID_KEY_BYTES) {
      let text = '';
      for (let i = 0; i < kind; i++)
        text += String.fromCharCode(((this.words[at + (i >>> 2)] as number) >>> ((i & 3) * 8)) & 0xff);
      return text;
    }
    const pairs = kind === UUID_LOWER ? LOWER_PAIRS : UPPER_PAIRS;
    // Each word's bytes, most significant first, are eight hex digits of the UUID.
    const hex = (word: number): string =>
      (pairs[(word >>> 24) & 0xff] as string) +
      (pairs[(word >>> 16) & 0xff] as string) +
      (pairs[(word >>> 8) & 0xff] as string) +
      (pairs[word & 0xff] as string);
    const a = hex(this.words[at] as number);
    const b = hex(this.words[at + 1] as number);
    const c = hex(this.words[at + 2] as number);
    const d = hex(this.words[at + 3] as number);
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
  }

  /** Empties `position`. */
  clear(position: number): void {
    if (this.kinds[position] === OUT_OF_LINE) {
      this.strings[position] = undefined;
      this.stringCount--;
    }
    this.kinds[position] = 0;
  }

  /**
   * Copies the packed ids of `count` positions from `from` into `words` (four a position) and
   * `kinds` from entry `to` on, and appends the ids kept as strings among them to `outOfLine` in
   * position order: bulk copies and no string built, for snapshots. The words of a position that
   * holds none, or an OUT_OF_LINE id, are copied as they are, meaning nothing.
   */
  copyOut(from: number, count: number, words: Int32Array, kinds: Uint8Array, to: number, outOfLine: string[]): void {
    words.set(this.words.subarray(WORDS * from, WORDS * (from + count)), WORDS * to);
    const copied = this.kinds.subarray(from, from + count);
    kinds.set(copied, to);
    if (this.stringCount === 0) return;
    for (let i = 0; i < count; i++) if (copied[i] === OUT_OF_LINE) outOfLine.push(this.strings[from + i] as string);
  }

  /** Copies `count` positions from `from` of `source` to `to` here, side-table ids included. */
  copyFrom(source: IdArena, from: number, to: number, count: number): void {
    this.words.set(source.words.subarray(WORDS * from, WORDS * (from + count)), WORDS * to);
    this.kinds.set(source.kinds.subarray(from, from + count), to);
    if (source.stringCount === 0) return;
    if (this.strings.length === 0) this.strings = new Array<string | undefined>(this.length).fill(undefined);
    for (let i = 0; i < count; i++) {
      const id = source.strings[from + i];
      if (id !== undefined) {
        this.strings[to + i] = id;
        this.stringCount++;
      }
    }
  }
}
