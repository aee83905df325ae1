import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Remembers a child process until it exits, so `killAllChildren` can end it. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** SIGKILLs every tracked child still running; synchronous, so it is safe in `process.on('exit')`. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Runs a bench's main: children are killed on exit, Ctrl-C or a crash, and a SetupError
 * prints its message (the fix) without a stack trace.
 */
export function runBenchMain(name: string, main: () => Promise<void>, isSetupError: (error: unknown) => boolean): void {
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
  main().catch((error: unknown) => {
    console.error(isSetupError(error) ? `${name}: ${(error as Error).message}` : error);
    process.exit(1);
  });
}
