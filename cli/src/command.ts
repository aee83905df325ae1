/** One `mlwatch` subcommand: its help text and what it runs; the exit code is the promise's value. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full help, printed by `mlwatch <name> --help`. */
  readonly usage: string;
  run(args: string[]): Promise<number>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a whole positive number from an option, naming the option when it is not one. */
export function parsePositiveNumber(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`--${option}: expected a positive number, got ${JSON.stringify(value)}`);
  return number;
}

/** Parses a TCP port; 0 asks the system for a free one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}
