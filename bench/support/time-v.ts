/**
 * Runs a command under GNU time (`/usr/bin/time -v`) for its wall time, peak RSS and exit
 * status; the command's own stdout and stderr are returned apart from time's report.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { track } from './reaper';

/** GNU time, as Debian's `time` package installs it. */
export const GNU_TIME = '/usr/bin/time';
const TIME_MARKER = '\tCommand being timed:';

/** What GNU time measured, and what the command printed. */
export interface TimedRun {
  wallSeconds: number;
  /** Peak resident set size ("Maximum resident set size"), in bytes. */
  peakRssBytes: number;
  exitCode: number;
  stdout: string;
  /** The command's own stderr, without time's report. */
  stderr: string;
}

/** Whether GNU time is installed where this module calls it. */
export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `command args` in `cwd` under `/usr/bin/time -v`; rejects when time itself fails or its report is missing. */
export function runTimed(command: string, args: readonly string[], cwd: string): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    // Its own process group: killing time alone would orphan the command it forked, so on exit the whole group goes.
    const child = spawn(GNU_TIME, ['-v', command, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    track(child);
    const killGroup = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    process.once('exit', killGroup);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => reject(new Error(`cannot run ${GNU_TIME}: ${error.message}`, { cause: error })));
    child.once('close', () => {
      process.off('exit', killGroup);
      const at = stderr.lastIndexOf(TIME_MARKER);
      if (at < 0) {
        reject(new Error(`${GNU_TIME} -v ${command} ${args.join(' ')} printed no report:\n${stderr.slice(-2000)}`));
        return;
      }
      try {
        resolve({ ...parseTimeReport(stderr.slice(at)), stdout, stderr: stderr.slice(0, at) });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(`cannot read the ${GNU_TIME} report`, { cause: error }));
      }
    });
  });
}

/** Parses the fields of GNU time's `-v` report this bench uses; throws naming a missing one. */
export function parseTimeReport(report: string): Pick<TimedRun, 'wallSeconds' | 'peakRssBytes' | 'exitCode'> {
  const field = (label: string): string => {
    const match = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}: (.+)$`, 'm').exec(report);
    if (match === null) throw new Error(`GNU time report has no "${label}" line:\n${report}`);
    return (match[1] as string).trim();
  };
  // "h:mm:ss" or "m:ss.ss".
  const wall = field('Elapsed (wall clock) time (h:mm:ss or m:ss)').split(':').map(Number);
  const wallSeconds = wall.reduce((total, part) => total * 60 + part, 0);
  return {
    wallSeconds,
    peakRssBytes: Number(field('Maximum resident set size (kbytes)')) * 1024,
    exitCode: Number(field('Exit status')),
  };
}
