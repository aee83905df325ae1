import { readFileSync } from 'node:fs';
import type { AuthSpec, TokenSourcesSpec } from '../../../spec/src/auth-schema';
import { AUTH_SCOPES, type AuthScope } from '../../../spec/src/conventions';
import { TokenSet } from './token-set';

/** The tokens each scope accepts; an empty set leaves its scope open. */
export type AuthTokens = Readonly<Record<AuthScope, TokenSet>>;

/** Shorter tokens can be guessed; `openssl rand -hex 32` makes a 64-character one. */
export const MIN_TOKEN_LENGTH = 16;

/** RFC 6750's token characters, so a token always fits an `Authorization: Bearer` header. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads every scope's tokens from the files and environment variables the spec names. Errors
 * name the spec path and the file or variable, never a token; the first stops the start.
 * `resolve` turns a path in the spec into an absolute one.
 */
export function loadAuthTokens(
  auth: AuthSpec,
  resolve: (specPath: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): AuthTokens {
  const { tokens, problems } = readAuthTokens(auth, resolve, env);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return tokens;
}

/**
 * Like loadAuthTokens, but carries on past a bad source: every problem, one line each naming its
 * spec path (what `mlwatch validate` reports), and the tokens of the sources that were fine.
 */
export function readAuthTokens(
  auth: AuthSpec,
  resolve: (specPath: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): { tokens: AuthTokens; problems: string[] } {
  const tokens = {} as Record<AuthScope, TokenSet>;
  const problems: string[] = [];
  for (const scope of AUTH_SCOPES)
    tokens[scope] = new TokenSet(readScope(`auth.${scope}`, auth[scope], resolve, env, problems));
  return { tokens, problems };
}

function readScope(
  where: string,
  sources: TokenSourcesSpec,
  resolve: (specPath: string) => string,
  env: NodeJS.ProcessEnv,
  problems: string[],
): string[] {
  const tokens: string[] = [];
  const collect = (read: () => string[]): void => {
    try {
      tokens.push(...read());
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  sources.token_files.forEach((file, i) => {
    collect(() => tokensInFile(`${where}.token_files[${i}]`, resolve(file)));
  });
  sources.token_env.forEach((name, i) => {
    const origin = `${where}.token_env[${i}]`;
    const value = env[name];
    const file = env[`${name}_FILE`];
    collect(() => {
      if (value !== undefined && file !== undefined)
        throw new Error(`${origin}: both ${name} and ${name}_FILE are set; set one`);
      if (file !== undefined) return tokensInFile(`${origin} (${name}_FILE)`, file);
      if (value !== undefined) return checkedTokens(`${origin} (${name})`, value.split(/[\s,]+/));
      return [];
    });
  });
  return tokens;
}

function tokensInFile(origin: string, file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${origin}: cannot read the token file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause: error,
      },
    );
  }
  const lines = text.split(/\r?\n/).filter((line) => !line.trimStart().startsWith('#'));
  const tokens = checkedTokens(`${origin} (${file})`, lines);
  if (tokens.length === 0) throw new Error(`${origin}: the token file ${file} holds no token`);
  return tokens;
}

/** The non-blank entries of `entries`, each checked to be a usable bearer token. */
function checkedTokens(origin: string, entries: readonly string[]): string[] {
  const tokens: string[] = [];
  entries.forEach((entry, i) => {
    const token = entry.trim();
    if (token === '') return;
    if (!BEARER_TOKEN.test(token))
      throw new Error(`${origin}: entry ${i + 1} is not a bearer token (letters, digits and -._~+/ only)`);
    if (token.length < MIN_TOKEN_LENGTH)
      throw new Error(
        `${origin}: entry ${i + 1} is ${token.length} characters long; a token needs at least ${MIN_TOKEN_LENGTH} (openssl rand -hex 32 makes one)`,
      );
    tokens.push(token);
  });
  return tokens;
}
