import { z } from 'zod';

/** An environment variable name, as POSIX shells write them. */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like MLWATCH_WRITE_TOKEN');

/**
 * Where the tokens of one scope come from. Every source may hold several tokens (one per line
 * in a file), so a new token can be rolled out before the old one is withdrawn.
 */
export const tokenSourcesSchema = z.strictObject({
  /** Files of tokens, one per line (blank lines and `#` comments ignored), relative to the spec file. */
  token_files: z.array(z.string().min(1)).default([]),
  /**
   * Environment variables holding a token. For a variable NAME, NAME_FILE may name a file of
   * tokens instead (the Docker secrets convention). An unset variable adds no token.
   */
  token_env: z.array(envName).default([]),
});

/**
 * Who may call the exporter. `write` guards predict and ingest; `read` guards `/metrics` and
 * the read APIs. A scope with no token is open; health endpoints are always open.
 */
export const authSchema = z.strictObject({
  write: tokenSourcesSchema.default(tokenSourcesSchema.parse({})),
  read: tokenSourcesSchema.default(tokenSourcesSchema.parse({})),
  /**
   * Lets `serve` listen beyond loopback with an open write scope. Off by default: anyone who can
   * reach an open exporter can feed it forged predictions and burn the error budget.
   */
  allow_unauthenticated: z.boolean().default(false),
});

export type TokenSourcesSpec = z.infer<typeof tokenSourcesSchema>;
export type AuthSpec = z.infer<typeof authSchema>;
