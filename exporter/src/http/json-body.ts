import express, { type Request, type RequestHandler, type Response } from 'express';
import type { InFlightGauge } from '../metrics/in-flight-gauge';
import { parseLenientJson } from '../ingest/lenient-json';
import { HttpError } from './http-error';
import { PIECE_BYTES, parsePiecewise, parsePiecewiseYielding } from './piecewise-json';
import { BatchStreamScan, checkBatchBudget, type BatchBudget } from './batch-budget';
import type { BodyBytesInFlight } from './body-bytes-in-flight';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A route handler that receives the parsed JSON body in `req.body`; a returned promise's rejection becomes an error response. */
export type JsonHandler = (req: Request, res: Response) => void | Promise<void>;

/** What a JSON endpoint may read and spend. */
export interface JsonEndpointLimits {
  /** Largest body, in bytes: 413 beyond it. */
  readonly maxBytes: number;
  /** Which spec setting `maxBytes` comes from, named in the 413. */
  readonly maxBytesSetting: string;
  /** The bytes of bodies in flight across endpoints; a body that would pass its cap gets 503 unread. */
  readonly inFlightBytes: BodyBytesInFlight;
  /** Counts a 503 refusal. */
  readonly onOverload: () => void;
  /** For batch endpoints: what a batch may spend, checked before it is parsed. */
  readonly batch?: BatchBudget;
}

/**
 * One express handler for a JSON endpoint: counts the request in flight, answers 415
 * unless the body is declared JSON, 503 when the body bytes in flight are at their cap,
 * 413 past `maxBytes`, 400 when it does not parse, then calls `handler`. Parsing accepts
 * Python's NaN/Infinity literals, which express.json() would refuse for the whole batch.
 * It is a single router layer on purpose: each layer costs a few microseconds of a ~150 µs request.
 */
export function jsonEndpoint(
  limits: JsonEndpointLimits,
  inFlight: InFlightGauge,
  handler: JsonHandler,
): RequestHandler {
  const { maxBytes, inFlightBytes, batch } = limits;
  const readText = express.text({ type: () => true, limit: maxBytes, defaultCharset: 'utf-8' });
  const readBytes = express.raw({ type: () => true, limit: maxBytes });
  return (req, res, next) => {
    inFlight.begin();
    // A response emits 'close' exactly once, after 'finish' or when the connection drops.
    res.once('close', inFlight.end);
    const wrongType = contentTypeProblem(req);
    if (wrongType !== undefined) {
      next(wrongType);
      return;
    }
    const reserved = reservation(req, maxBytes);
    if (!inFlightBytes.tryReserve(reserved)) {
      limits.onOverload();
      // Closing the connection spares reading a body nobody will parse.
      res.set({ 'retry-after': '1', connection: 'close' });
      next(
        new HttpError(
          503,
          'overloaded',
          `the exporter is reading ${inFlightBytes.bytes} bytes of request bodies (exporter.max_inflight_body_bytes is ${inFlightBytes.cap}); retry in a second`,
        ),
      );
      return;
    }
    res.once('close', () => inFlightBytes.release(reserved));
    // UTF-8 bodies are read as bytes and decoded once: the text reader decodes chunk by chunk into a
    // string of pieces that JSON.parse must first copy into one, which cost a batch more than validating it.
    const utf8 = isUtf8Json(req.headers['content-type']);
    // Set once a batch was refused while it arrived: the reader's own end (aborted, when the connection closes) is then ignored.
    let refusedEarly = false;
    let scan: BatchStreamScan | undefined;
    if (batch !== undefined && utf8 && isPlain(req) && reserved > batch.maxEventBytes) {
      scan = new BatchStreamScan(batch);
      const streamScan = scan;
      const onChunk = (chunk: Buffer): void => {
        const refusal = streamScan.feed(chunk);
        if (refusal === undefined) return;
        refusedEarly = true;
        // The rest is drained, not kept: closing the connection with bytes unread would reset it, and a
        // client still sending would lose the answer. Past maxBytes the client is cut off.
        req.removeAllListeners('data');
        let drained = 0;
        req.on('data', (rest: Buffer) => {
          drained += rest.length;
          if (drained > maxBytes) req.destroy();
        });
        next(refusal);
      };
      req.on('data', onChunk);
    }
    // express's Request is node's IncomingMessage with fields added, which the body readers take.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    (utf8 ? readBytes : readText)(req, res, (readError?: unknown) => {
      if (refusedEarly) return;
      if (readError !== undefined) {
        next(readError instanceof Error ? withSetting(readError, limits.maxBytesSetting) : readError);
        return;
      }
      const finish = (parsed: unknown): void => {
        if (parsed instanceof HttpError) {
          next(parsed);
          return;
        }
        req.body = parsed;
        try {
          const result = handler(req, res);
          // A thenable check, not instanceof: promises from node: modules may come from another realm (jest's vm).
          if (result !== undefined && typeof result.then === 'function') result.then(undefined, next);
        } catch (error) {
          next(error);
        }
      };
      const body: unknown = req.body;
      // A large batch is checked against its budget and parsed in slices, giving other requests turns between them.
      if (batch !== undefined && bodyLength(body) > batch.maxEventBytes) {
        parseLargeBatch(body, utf8, batch, scan).then(finish, next);
        return;
      }
      finish(utf8 ? parseUtf8Body(body) : parseBody(body));
    });
  };
}

/** A batch over one event's bytes: refused before parsing when over its budget, else parsed in slices. */
async function parseLargeBatch(
  body: unknown,
  utf8: boolean,
  budget: BatchBudget,
  scan: BatchStreamScan | undefined,
): Promise<unknown> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '', 'utf8');
  const overBudget = await checkBatchBudget(bytes, budget, scan);
  if (overBudget !== undefined) return overBudget;
  if (!utf8) return parseBody(body);
  return (await parsePiecewiseYielding(bytes)) ?? parseBody(decodeUtf8(bytes));
}

function bodyLength(body: unknown): number {
  if (Buffer.isBuffer(body)) return body.length;
  // Text is at least one byte per character: a lower bound is enough to decide.
  return typeof body === 'string' ? body.length : 0;
}

/**
 * The bytes a request reserves before its body is read: its Content-Length when that is all it will
 * read (no content coding; past the limit the reader refuses it unread), else the limit, which is the
 * most it can inflate or stream to.
 */
function reservation(req: Request, maxBytes: number): number {
  const length = Number(req.headers['content-length']);
  if (isPlain(req) && Number.isInteger(length) && length >= 0) return Math.min(length, maxBytes);
  return maxBytes;
}

/** True when the body arrives as it will be parsed: no content coding. */
function isPlain(req: Request): boolean {
  const encoding = req.headers['content-encoding'];
  return encoding === undefined || encoding.toLowerCase() === 'identity';
}

/** Tags a body reader's error with the setting its limit came from, for the 413 message. */
function withSetting(error: Error, setting: string): Error {
  return Object.assign(error, { setting });
}

/** True for a JSON body in UTF-8 (the default): any other declared charset goes through the text reader, which converts it. */
function isUtf8Json(declared: string | undefined): boolean {
  return declared === 'application/json' || (declared !== undefined && UTF8_JSON.test(declared));
}

const UTF8_JSON = /^application\/json\s*;\s*charset="?utf-?8"?\s*$/i;

/**
 * A UTF-8 body parsed as `parseBody(decodeUtf8(body))` would: a large batch piece by piece (see
 * parsePiecewise), anything else, and a batch that does not parse that way, whole.
 */
function parseUtf8Body(body: unknown): unknown {
  const batch = Buffer.isBuffer(body) && body.length > PIECEWISE_FROM_BYTES ? parsePiecewise(body) : undefined;
  return batch ?? parseBody(decodeUtf8(body));
}

/** Smaller bodies decode into ordinary heap strings: cutting them into pieces would gain nothing. */
const PIECEWISE_FROM_BYTES = 2 * PIECE_BYTES;

/** Bytes as the text reader would decode them: UTF-8, malformed sequences as U+FFFD, a leading byte-order mark dropped. */
function decodeUtf8(body: unknown): string | undefined {
  // With no body at all the reader leaves `req.body` unset.
  if (!Buffer.isBuffer(body)) return undefined;
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function contentTypeProblem(req: Request): HttpError | undefined {
  const declared = req.headers['content-type'];
  // The common case is decided by a prefix check; full media-type parsing only for the rest.
  if (declared === 'application/json' || declared?.startsWith('application/json;') === true) return undefined;
  if (declared !== undefined && req.is(JSON_TYPES) !== false) return undefined;
  return new HttpError(
    415,
    'unsupported_media_type',
    `Content-Type must be application/json, got ${declared === undefined ? 'none' : JSON.stringify(declared)}`,
    'content-type',
  );
}

function parseBody(text: unknown): unknown {
  try {
    return parseLenientJson(typeof text === 'string' ? text : '');
  } catch (error) {
    // Whitespace is checked only after a failed parse: trimming a large body up front copies it.
    const empty = typeof text !== 'string' || /^\s*$/.test(text);
    const message = empty
      ? 'the request body is empty; expected a JSON object'
      : `the request body is not valid JSON: ${(error as Error).message}`;
    return new HttpError(400, 'malformed_json', message, 'body', { cause: error });
  }
}

/** Maps body-parser's errors (too large, bad charset or encoding, aborted) to our HttpError. */
export function bodyParserError(error: unknown): HttpError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const { limit, setting } = error as { limit?: number; setting?: string };
    return new HttpError(
      413,
      'payload_too_large',
      `the request body exceeds the limit of ${limit ?? '?'} bytes (${setting ?? 'exporter.max_body_bytes'})`,
      'body',
      { cause: error },
    );
  }
  if (type === 'charset.unsupported') {
    return new HttpError(415, 'unsupported_media_type', (error as Error).message, 'content-type', { cause: error });
  }
  if (type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_encoding', (error as Error).message, 'content-encoding', { cause: error });
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return new HttpError(400, 'invalid_request', (error as Error).message, 'body', { cause: error });
  }
  // A body that does not decode as its Content-Encoding says (gzip declared on plain text): zlib's error, status 400.
  if (isZlibError(error)) {
    return new HttpError(
      400,
      'unsupported_encoding',
      `the request body does not decode as its content-encoding says: ${(error as Error).message}`,
      'content-encoding',
      { cause: error },
    );
  }
  return undefined;
}

/**
 * A decoding error of node:zlib: `Z_…` for gzip and deflate, `ERR__ERROR_…` for brotli (Node
 * names the decoder's BROTLI_DECODER_ERROR_… results so; found by the fuzzer, was a 500).
 */
function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR_'));
}
