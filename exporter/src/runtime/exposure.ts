import { isIP } from 'node:net';
import type { Spec } from '../../../spec/src/schema';
import type { AuthTokens } from '../auth/load-tokens';

/** True for addresses only this machine can reach: `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost' || address === '::1') return true;
  const v4 = address.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Why the exporter must not listen on `host` with these tokens, or undefined when it may:
 * beyond loopback an open write scope lets anyone feed forged predictions, unless the spec
 * says `auth.allow_unauthenticated: true`.
 */
export function exposureProblem(host: string, spec: Spec, auth: AuthTokens): string | undefined {
  if (isLoopback(host) || auth.write.size > 0 || spec.auth.allow_unauthenticated) return undefined;
  return (
    `refusing to listen on ${host}: the write endpoints (predict, ingest) have no token, so anyone who can reach ` +
    `${host} could send forged predictions. Give auth.write a token (token_files or token_env), listen on ` +
    `127.0.0.1, or set auth.allow_unauthenticated: true in the spec`
  );
}
