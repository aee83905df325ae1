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

const DURATION_UNITS_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses a duration such as `30s`, `2m`, `500ms`, `1h` or bare seconds (`30`) into seconds; 0 is allowed. */
export function parseDurationSeconds(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (match === null)
    throw new UsageError(
      `--${option}: expected a duration like 30s, 2m, 500ms or a number of seconds, got ${JSON.stringify(value)}`,
    );
  return Number(match[1]) * (DURATION_UNITS_SECONDS[match[2] ?? 's'] ?? 1);
}

/** Parses a share from 0 to 1 (0.8), naming the option when it is not one. */
export function parseShare(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1)
    throw new UsageError(`--${option}: expected a share from 0 to 1, got ${JSON.stringify(value)}`);
  return number;
}
