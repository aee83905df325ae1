import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { parseLenientJson } from '../ingest/lenient-json';
import { HttpError } from './http-error';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Body handling for the JSON endpoints: 415 unless the body is declared JSON, 413 past
 * `maxBytes`, 400 when it does not parse. Parsing accepts Python's NaN/Infinity literals,
 * which express.json() would refuse for the whole batch.
 */
export function jsonBody(maxBytes: number): RequestHandler[] {
  const readText = express.text({ type: () => true, limit: maxBytes, defaultCharset: 'utf-8' });
  const requireJson: RequestHandler = (req, _res, next) => {
    const declared = req.headers['content-type'];
    if (declared === undefined || req.is(JSON_TYPES) === false) {
      next(new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json, got ${declared === undefined ? 'none' : JSON.stringify(declared)}`, 'content-type'));
      return;
    }
    next();
  };
  const parse = (req: Request, _res: Response, next: NextFunction): void => {
    const text: unknown = req.body;
    if (typeof text !== 'string' || text.trim() === '') {
      next(new HttpError(400, 'malformed_json', 'the request body is empty; expected a JSON object', 'body'));
      return;
    }
    try {
      req.body = parseLenientJson(text);
    } catch (error) {
      next(new HttpError(400, 'malformed_json', `the request body is not valid JSON: ${(error as Error).message}`, 'body', { cause: error }));
      return;
    }
    next();
  };
  return [requireJson, readText, parse];
}

/** Maps body-parser's errors (too large, bad charset, aborted) to our HttpError. */
export function bodyParserError(error: unknown): HttpError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new HttpError(413, 'payload_too_large', `the request body exceeds the limit of ${limit ?? '?'} bytes (exporter.max_body_bytes)`, 'body', { cause: error });
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_media_type', (error as Error).message, 'content-type', { cause: error });
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return new HttpError(400, 'invalid_request', (error as Error).message, 'body', { cause: error });
  }
  return undefined;
}
