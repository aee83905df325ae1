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
