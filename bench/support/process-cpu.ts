/**
 * CPU time a process has used, from /proc (Linux): user plus system time of all its threads.
 * On a machine whose cores are shared with other work, a server's CPU seconds per request are a
 * steadier yardstick than its wall-clock throughput, which moves with whatever else runs on its core.
 */
import { readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by process `pid` (all threads), or NaN when /proc is not readable. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * Seconds the main thread of process `pid` has spent runnable but waiting for a CPU (the
 * second field of /proc/<pid>/task/<pid>/schedstat), or NaN when it is not readable. A Node
 * server's event loop is that thread, so this is how long other work on its core held it up.
 */
export function mainThreadRunQueueSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}
