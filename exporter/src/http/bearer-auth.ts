import type { RequestHandler } from 'express';
import type { AuthScope } from '../../../spec/src/conventions';
import type { TokenSet } from '../auth/token-set';

const BEARER_PREFIX = /^Bearer +/i;

/** The one answer to a missing or wrong token: it says nothing about which it was. */
const UNAUTHORIZED_BODY = { error: { code: 'unauthorized', message: 'a valid bearer token is required' } };

/**
 * Lets a request through when its `Authorization: Bearer` token is one of `tokens`; otherwise
 * answers 401 before the body is read and calls `onRefused` (counted apart from bad input).
 * An empty token set leaves the scope open.
 */
export function requireToken(
  scope: AuthScope,
  tokens: TokenSet,
  onRefused: (scope: AuthScope) => void,
): RequestHandler {
  if (tokens.size === 0) return (_req, _res, next) => next();
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (
      header !== undefined &&
      BEARER_PREFIX.test(header) &&
      tokens.accepts(header.replace(BEARER_PREFIX, '').trim())
    ) {
      next();
      return;
    }
    onRefused(scope);
    res.status(401).set('www-authenticate', `Bearer realm="mlwatch", scope="${scope}"`).json(UNAUTHORIZED_BODY);
  };
}
