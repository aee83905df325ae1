import express, { type Request, type RequestHandler, type Response } from 'express';
import type { InFlightGauge } from '../metrics/in-flight-gauge';
import { parseLenientJson } from '../ingest/lenient-json';
import { HttpError } from './http-error';
import { PIECE_BYTES, parsePiecewise } from './piecewise-json';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A route handler that receives the parsed JSON body in `req.body`; a returned promise's rejection becomes an error response. */
export type JsonHandler = (req: Request, res: Response) => void | Promise<void>;

/**
 * One express handler for a JSON endpoint: counts the request in flight, answers 415
 * unless the body is declared JSON, 413 past `maxBytes`, 400 when it does not parse,
 * then calls `handler`. Parsing accepts Python's NaN/Infinity literals, which
 * express.json() would refuse for the whole batch. It is a single router layer on
 * purpose: each layer costs a few microseconds of a ~150 µs request.
 */
export function jsonEndpoint(maxBytes: number, inFlight: InFlightGauge, handler: JsonHandler): RequestHandler {
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
    // UTF-8 bodies are read as bytes and decoded once: the text reader decodes chunk by chunk into a
    // string of pieces that JSON.parse must first copy into one, which cost a batch more than validating it.
    const utf8 = isUtf8Json(req.headers['content-type']);
    // express's Request is node's IncomingMessage with fields added, which the body readers take.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    (utf8 ? readBytes : readText)(req, res, (readError?: unknown) => {
      if (readError !== undefined) {
        next(readError);
        return;
      }
      const parsed = utf8 ? parseUtf8Body(req.body) : parseBody(req.body);
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
    });
  };
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

/** Maps body-parser's errors (too large, bad charset, aborted) to our HttpError. */
export function bodyParserError(error: unknown): HttpError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new HttpError(
      413,
      'payload_too_large',
      `the request body exceeds the limit of ${limit ?? '?'} bytes (exporter.max_body_bytes)`,
      'body',
      { cause: error },
    );
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_media_type', (error as Error).message, 'content-type', { cause: error });
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return new HttpError(400, 'invalid_request', (error as Error).message, 'body', { cause: error });
  }
  return undefined;
}
