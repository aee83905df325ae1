import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** True when `name` resolves to an executable on PATH. */
export function hasCommand(name: string): boolean {
  // The name is a positional argument, never spliced into the shell text.
  return spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', name]).status === 0;
}

/** Absolute path of a locally installed npm binary (node_modules/.bin), or undefined. */
export function localBinary(repoRoot: string, name: string): string | undefined {
  const file = path.join(repoRoot, 'node_modules', '.bin', name);
  return existsSync(file) ? file : undefined;
}

/** First line a command prints for its version (stdout or stderr), or "unknown". */
export function versionLine(command: string, args: readonly string[]): string {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  // A command that cannot start has no output (null at run time, whatever the types say).
  if (run.error !== undefined) return 'unknown';
  const text = `${run.stdout}${run.stderr}`.trim();
  return text.split('\n')[0] ?? 'unknown';
}
