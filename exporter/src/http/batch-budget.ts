import type { Spec } from '../../../spec/src/schema';
import { HttpError } from './http-error';
import { listEnd, nextTurn, readHead } from './piecewise-json';

/** What one ingest batch may spend, from the spec: checked on the raw bytes, before a batch is parsed. */
export interface BatchBudget {
  /** `exporter.max_batch_events`. */
  readonly maxEvents: number;
  /** `exporter.max_event_bytes`: bodies up to this size are not scanned, larger ones may average no more per event. */
  readonly maxEventBytes: number;
  /** JSON structure (`{ [ , :` outside strings) an event may average: what parsing it costs, beyond its bytes. */
  readonly maxStructurePerEvent: number;
}

/** Fields an ingested event may carry (README "Batch ingest"), with room to spare. */
const EVENT_FIELD_ALLOWANCE = 16;
/** A member costs a `:` and a `,`; twice that again is slack for formatting and nested objects. */
const STRUCTURE_PER_MEMBER = 4;

/** The budget of an ingest batch under this spec: the widest model's features and classes set the structure per event. */
export function batchBudget(spec: Spec): BatchBudget {
  const widest = Math.max(...spec.models.map((m) => m.features.length + (m.classes?.length ?? 0)));
  return {
    maxEvents: spec.exporter.max_batch_events,
    maxEventBytes: spec.exporter.max_event_bytes,
    maxStructurePerEvent: STRUCTURE_PER_MEMBER * (EVENT_FIELD_ALLOWANCE + widest),
  };
}

/** How many elements a batch's list holds and how much JSON structure it has, counted without parsing. */
export interface BatchShape {
  /** Elements of the list; when `stopped`, the count where the scan stopped. */
  readonly events: number;
  readonly structure: number;
  /** True when the scan stopped early, past `maxEvents` events or the batch's whole structure budget. */
  readonly stopped: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * What a byte outside strings is to the arrival scan, one table lookup instead of a chain of
 * comparisons: whitespace and the bytes of numbers and literals are all skipped alike.
 */
const SKIPPED = 0;
const STRING = 1;
const OPENING = 2;
const CLOSING = 3;
/** A comma: structure, and at depth 0 the end of an event. */
const SEPARATOR = 4;
/** A colon: structure only. */
const MEMBER = 5;
const BYTE_KIND = new Uint8Array(256).fill(SKIPPED);
BYTE_KIND[QUOTE] = STRING;
BYTE_KIND[OPEN_BRACE] = OPENING;
BYTE_KIND[OPEN_BRACKET] = OPENING;
BYTE_KIND[CLOSE_BRACE] = CLOSING;
BYTE_KIND[CLOSE_BRACKET] = CLOSING;
BYTE_KIND[COMMA] = SEPARATOR;
BYTE_KIND[COLON] = MEMBER;

/** {@link skipString}'s answer when the chunk ends inside the string. */
const OPEN_AT_END = -1;
/** {@link skipString}'s answer when the chunk ends inside the string right after a backslash. */
const ESCAPE_AT_END = -2;

/** Four bytes at a time: each of a word's bytes set to a quote, and to a backslash. */
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const LOW_BITS = 0x01010101;
const HIGH_BITS = 0x80808080;

/**
 * The index just past the quote closing a string whose content starts at `from` (a backslash
 * escapes the byte after it), or OPEN_AT_END or ESCAPE_AT_END when the chunk ends first. `words`
 * views the same bytes: runs of content are skipped four bytes at a time while a word holds no
 * quote or backslash (x holds a zero byte exactly when (x - 0x01…01) & ~x & 0x80…80 is not 0).
 */
function skipString(view: Uint8Array, words: DataView, from: number): number {
  const length = view.length;
  let i = from;
  for (; i + 4 <= length; i += 4) {
    const word = words.getUint32(i, true);
    const quotes = word ^ QUOTES;
    const backslashes = word ^ BACKSLASHES;
    if ((((quotes - LOW_BITS) & ~quotes) | ((backslashes - LOW_BITS) & ~backslashes)) & HIGH_BITS) break;
  }
  for (; i < length; i++) {
    const byte = view[i] as number;
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH && ++i === length) return ESCAPE_AT_END;
  }
  return OPEN_AT_END;
}

/** Bytes scanned between two turns of the event loop: a few milliseconds. */
const SCAN_SLICE_BYTES = 512 * 1024;

/**
 * Counts the elements of a body of the shape `{"key": [ … ]}` and its structural characters, skipping
 * strings, and stops as soon as the count passes the budget; undefined for another shape. A linear pass
 * over bytes (about 8 ns a byte here) in slices with a turn of the event loop between them, where parsing
 * 16 MiB of `{},` held the loop for 3 s and took half a GiB.
 */
export async function scanBatch(bytes: Buffer, budget: BatchBudget): Promise<BatchShape | undefined> {
  const head = readHead(bytes);
  if (head === undefined) return undefined;
  const end = listEnd(bytes);
  if (end < head.listStart) return undefined;
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const maxStructure = budget.maxEvents * budget.maxStructurePerEvent;
  let depth = 0;
  let commas = 0;
  let structure = 0;
  let content = false;
  let i = head.listStart;
  for (let sliceEnd = Math.min(end, i + SCAN_SLICE_BYTES); ; sliceEnd = Math.min(end, i + SCAN_SLICE_BYTES)) {
    for (; i < sliceEnd; i++) {
      const byte = view[i] as number;
      if (byte <= 0x20) continue;
      content = true;
      if (byte === QUOTE) {
        i = stringEnd(bytes, i + 1, end);
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
        structure++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
      } else if (byte === COMMA) {
        structure++;
        // Past the limits the exact count no longer matters: the batch is refused either way.
        if (depth === 0 && ++commas >= budget.maxEvents) return { events: commas + 1, structure, stopped: true };
      } else if (byte === COLON) {
        structure++;
      }
      if (structure > maxStructure) return { events: commas + 1, structure, stopped: true };
    }
    if (i >= end) return { events: content ? commas + 1 : 0, structure, stopped: false };
    await nextTurn();
  }
}

/** Index of the quote closing a string whose content starts at `from` (or `end` when it is not closed). */
function stringEnd(bytes: Buffer, from: number, end: number): number {
  for (let quote = bytes.indexOf(QUOTE, from); quote >= 0 && quote < end; quote = bytes.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return end;
}

/**
 * Refuses, before it is parsed, a body over `maxEventBytes` that is not a plain batch, holds more than
 * `maxEvents` events, or spends more bytes or structure per event than the budget allows.
 */
export async function checkBatchBudget(
  bytes: Buffer,
  budget: BatchBudget,
  streamed?: BatchStreamScan,
): Promise<HttpError | undefined> {
  if (bytes.length <= budget.maxEventBytes) return undefined;
  // The count made while the body arrived is the same scan over the same bytes: no second pass.
  const shape = streamed?.shapeOf(bytes) ?? (await scanBatch(bytes, budget));
  if (shape === undefined)
    return new HttpError(
      400,
      'invalid_request',
      `body: a body over ${budget.maxEventBytes} bytes (exporter.max_event_bytes) must be a batch {"events": [...]}`,
      'body',
    );
  const { events, structure, stopped } = shape;
  if (events > budget.maxEvents)
    return new HttpError(
      413,
      'batch_too_large',
      `events: ${stopped ? 'more than ' : ''}${stopped ? budget.maxEvents : events} events exceed the limit of ${budget.maxEvents} per request (exporter.max_batch_events)`,
      'events',
      { rejectedEvents: events },
    );
  if (stopped || structure > events * budget.maxStructurePerEvent)
    return new HttpError(
      413,
      'payload_too_large',
      `events: ${stopped ? 'more than ' : ''}${structure} structural characters ({ [ , :) for ${events} events exceed ${budget.maxStructurePerEvent} per event (from the widest model's features and classes)`,
      'events',
    );
  if (bytes.length > events * budget.maxEventBytes)
    return new HttpError(
      413,
      'payload_too_large',
      `events: ${bytes.length} bytes for ${events} events exceed ${budget.maxEventBytes} bytes per event (exporter.max_event_bytes)`,
      'events',
    );
  return undefined;
}

/**
 * The same count as `scanBatch`, fed chunk by chunk while the body arrives, so a batch already past
 * `maxEvents` events or the batch's whole structure budget is refused before the rest is read. It
 * only refuses early: the scan of the whole body stays the one that decides. A body whose first
 * chunk does not hold the batch's head is left to that scan.
 */
export class BatchStreamScan {
  private started = false;
  private gaveUp = false;
  private depth = 0;
  private commas = 0;
  private structure = 0;
  private inString = false;
  private escaped = false;
  /** Bytes fed before the current chunk. */
  private offset = 0;
  /** Where the list closed (depth below 0), as an offset in the body; -1 while it is open. */
  private listClosedAt = -1;
  /** Whether the list held anything but whitespace, known once its first byte past whitespace arrived. */
  private content = false;
  private sawContent = false;

  constructor(private readonly budget: BatchBudget) {}

  /**
   * The shape `scanBatch` would find in `bytes`, when this scan saw all of them from the batch's
   * head and its list closed where the body's does (so only `}` and whitespace followed); undefined
   * otherwise, and the whole body is scanned again.
   */
  shapeOf(bytes: Buffer): BatchShape | undefined {
    if (!this.started || this.gaveUp || this.offset !== bytes.length) return undefined;
    if (this.listClosedAt < 0 || this.listClosedAt !== listEnd(bytes)) return undefined;
    return { events: this.content ? this.commas + 1 : 0, structure: this.structure, stopped: false };
  }

  /**
   * Counts one chunk; returns the refusal once the batch is past its budget. The state lives in
   * locals while the chunk is walked and is written back once: fields read and written for every
   * byte made this walk cost more than parsing the chunk. Bytes that are not structure cost one
   * table lookup, and string contents are skipped by a loop that looks only for quotes and backslashes.
   */
  feed(chunk: Buffer): HttpError | undefined {
    if (this.gaveUp) return undefined;
    let i = 0;
    if (!this.started) {
      const head = readHead(chunk);
      this.started = true;
      if (head === undefined) {
        this.gaveUp = true;
        return undefined;
      }
      i = head.listStart;
    }
    const { maxEvents, maxStructurePerEvent } = this.budget;
    const maxStructure = maxEvents * maxStructurePerEvent;
    const view = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const words = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
    const length = view.length;
    let { depth, commas, structure, listClosedAt } = this;
    let inString = false;
    let escaped = false;
    let refused = false;
    if (this.inString) {
      // The string the last chunk ended in; the byte after a backslash is skipped whatever it is.
      const end = skipString(view, words, this.escaped ? i + 1 : i);
      if (end < 0) {
        inString = true;
        escaped = end === ESCAPE_AT_END;
        i = length;
      } else i = end;
    }
    if (!this.sawContent) {
      // The list holds something when its first byte past whitespace is not the one closing it.
      while (i < length && (view[i] as number) <= 0x20) i++;
      if (i < length) {
        this.sawContent = true;
        this.content = BYTE_KIND[view[i] as number] !== CLOSING;
      }
    }
    while (i < length) {
      const kind = BYTE_KIND[view[i++] as number] as number;
      if (kind === SKIPPED) continue;
      if (kind === STRING) {
        const end = skipString(view, words, i);
        if (end < 0) {
          inString = true;
          escaped = end === ESCAPE_AT_END;
          break;
        }
        i = end;
        continue;
      }
      if (kind === CLOSING) {
        if (--depth < 0 && listClosedAt < 0) listClosedAt = this.offset + i - 1;
        continue;
      }
      structure++;
      if (kind === OPENING) depth++;
      else if (kind === SEPARATOR && depth === 0 && ++commas >= maxEvents) {
        refused = true;
        break;
      }
      if (structure > maxStructure) {
        refused = true;
        break;
      }
    }
    this.depth = depth;
    this.commas = commas;
    this.structure = structure;
    this.inString = inString;
    this.escaped = escaped;
    this.listClosedAt = listClosedAt;
    if (refused) return this.refusal();
    this.offset += length;
    return undefined;
  }

  private refusal(): HttpError {
    this.gaveUp = true;
    const { maxEvents, maxStructurePerEvent } = this.budget;
    if (this.commas >= maxEvents)
      return new HttpError(
        413,
        'batch_too_large',
        `events: more than ${maxEvents} events exceed the limit of ${maxEvents} per request (exporter.max_batch_events)`,
        'events',
        { rejectedEvents: this.commas + 1 },
      );
    return new HttpError(
      413,
      'payload_too_large',
      `events: more than ${this.structure} structural characters ({ [ , :) exceed ${maxStructurePerEvent} per event for at most ${maxEvents} events (from the widest model's features and classes)`,
      'events',
    );
  }
}
