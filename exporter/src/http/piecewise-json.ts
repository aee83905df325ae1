import { parseLenientJson } from '../ingest/lenient-json';

/** Bytes per piece: decoded, a piece stays well below V8's 128 KiB limit for ordinary heap objects, even as two-byte text. */
export const PIECE_BYTES = 32 * 1024;

/** Where one object of the list ends and the next begins. */
const CUT = Buffer.from('},{');
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Parses a UTF-8 body of the shape `{"key": [ … ]}` (a batch: one key holding a list of objects) piece
 * by piece, with the result JSON.parse (lenient, as `parseLenientJson`) gives for the whole text; undefined
 * when the body has another shape or does not parse that way, and the caller parses it whole.
 *
 * Why: decoding a large body into one string puts the string in V8's large-object space, which is
 * mapped afresh for every body; on this deployment's VMs the page faults of a 650 KiB body cost more
 * than JSON.parse of it. Pieces under 128 KiB go to the young generation, whose memory is reused.
 *
 * Why the result is the same: the list is cut only where `},{` follows a piece of at least
 * PIECE_BYTES, and each piece must parse as a list on its own (`[` piece `]`). A piece starts at a
 * boundary between elements, so it parses only if its cut is one too: a cut inside a string leaves
 * the piece in an open string, a cut inside a nested value leaves it unbalanced. The pieces' lists
 * joined are then the whole list, and the head and tail checked here make the body that one key.
 */
export function parsePiecewise(bytes: Buffer): Record<string, unknown> | undefined {
  const pieces = parsePieces(bytes);
  let step = pieces.next();
  while (step.done !== true) step = pieces.next();
  return step.value;
}

/**
 * `parsePiecewise`, giving the event loop a turn after every `sliceBytes` of body parsed, so a large
 * batch never holds it for longer than a slice takes (about 10 ms per MiB on this deployment's VMs).
 */
export async function parsePiecewiseYielding(
  bytes: Buffer,
  sliceBytes = YIELD_EVERY_BYTES,
): Promise<Record<string, unknown> | undefined> {
  const pieces = parsePieces(bytes);
  let sinceTurn = 0;
  for (let step = pieces.next(); ; step = pieces.next()) {
    if (step.done === true) return step.value;
    sinceTurn += step.value;
    if (sinceTurn >= sliceBytes) {
      sinceTurn = 0;
      await nextTurn();
    }
  }
}

/** Bytes parsed between two turns of the event loop. */
export const YIELD_EVERY_BYTES = 1024 * 1024;

/** Resolves after the event loop has run its pending I/O callbacks once. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The pieces of a batch, parsed one per step; each step yields the bytes it parsed, the return is the result. */
function* parsePieces(bytes: Buffer): Generator<number, Record<string, unknown> | undefined> {
  const head = readHead(bytes);
  if (head === undefined) return undefined;
  const end = listEnd(bytes);
  if (end < head.listStart) return undefined;
  const list: unknown[] = [];
  for (let start = head.listStart; ;) {
    const found = end - start > PIECE_BYTES ? bytes.indexOf(CUT, start + PIECE_BYTES) : -1;
    // The cut is at the comma: the piece keeps its closing brace, the next one starts with its opening one.
    const cut = found < 0 || found + 1 >= end ? end : found + 1;
    const piece = parsePiece(bytes.toString('utf8', start, cut));
    if (piece === undefined) return undefined;
    for (const element of piece) list.push(element);
    if (cut === end) break;
    yield cut - start;
    start = cut + 1;
  }
  return { [head.key]: list };
}

/** `[` + text + `]` parsed as a list, or undefined when it is not one. */
function parsePiece(text: string): unknown[] | undefined {
  try {
    const parsed = parseLenientJson(`[${text}]`);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `{ "key" : [` at the start (JSON whitespace allowed between): the key and where the list's content starts. */
export function readHead(bytes: Buffer): { key: string; listStart: number } | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== QUOTE) return undefined;
  const keyStart = i + 1;
  // A plain ASCII key, no escapes: anything else is left to the whole-body parse.
  for (i = keyStart; i < bytes.length && bytes[i] !== QUOTE; i++) {
    const byte = bytes[i] as number;
    if (byte < SPACE || byte > 0x7e || byte === BACKSLASH) return undefined;
  }
  if (i >= bytes.length) return undefined;
  const key = bytes.toString('latin1', keyStart, i);
  // An object literal would set the prototype for this key, where JSON.parse makes an own property.
  if (key === '__proto__') return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== COLON) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== OPEN_BRACKET) return undefined;
  return { key, listStart: i + 1 };
}

/** Where the list's content ends: the `]` before a closing `}` and trailing whitespace, or -1. */
export function listEnd(bytes: Buffer): number {
  let i = skipSpaceBack(bytes, bytes.length - 1);
  if (bytes[i] !== CLOSE_BRACE) return -1;
  i = skipSpaceBack(bytes, i - 1);
  return bytes[i] === CLOSE_BRACKET ? i : -1;
}

function isSpace(byte: number | undefined): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

function skipSpace(bytes: Buffer, from: number): number {
  let i = from;
  while (isSpace(bytes[i])) i++;
  return i;
}

function skipSpaceBack(bytes: Buffer, from: number): number {
  let i = from;
  while (i >= 0 && isSpace(bytes[i])) i--;
  return i;
}
