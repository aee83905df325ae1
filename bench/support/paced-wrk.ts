/**
 * wrk at a moderate load. wrk 4 has no request rate (-R is wrk2's), and plain wrk keeps
 * every connection busy, which saturates the server; its Lua `delay()` hook pauses each
 * connection before its next request, so a few connections give a steady load well under
 * capacity, and the latency wrk reports still starts when a request is sent.
 */
import { writeFileSync } from 'node:fs';
import type { LoadResult, LoadRun } from './load-generator';
import { capture, luaScript, parseWrkOutput } from './wrk';

/** A load run whose connections each pause `pauseMs` between a response and the next request. */
export interface PacedLoadRun extends LoadRun {
  pauseMs: number;
}

/** A paced run's result with the far tail, which wrk's `--latency` table (up to p99) leaves out. */
export interface PacedLoadResult extends LoadResult {
  p999Ms: number;
  maxMs: number;
}

const TAIL_LINE = /^mlwatch-paced: p99\.9 (\d+) us, max (\d+) us$/m;

/** The request cycling of bench/support/wrk.ts, plus the pause and a line with the far tail. */
function pacedScript(bodiesFile: string, pauseMs: number): string {
  return luaScript(
    bodiesFile,
    `function delay()
  return ${Math.round(pauseMs)}
end
function done(summary, latency, requests)
  io.write(string.format("mlwatch-paced: p99.9 %d us, max %d us\\n", latency:percentile(99.9), latency.max))
end
`,
  );
}

/** Runs wrk with `--latency` and the pause, pinned to `load.cpu`, and parses its report and the tail line the script adds. */
export async function runPacedWrk(load: PacedLoadRun): Promise<PacedLoadResult> {
  const script = `${load.bodiesFile}.paced.lua`;
  writeFileSync(script, pacedScript(load.bodiesFile, load.pauseMs));
  const args = [
    '-c',
    String(load.cpu),
    'wrk',
    '-t',
    String(load.threads),
    '-c',
    String(load.connections),
    '-d',
    `${load.durationSeconds}s`,
    '--latency',
    '-s',
    script,
    load.url,
  ];
  const output = await capture('taskset', args);
  const tail = TAIL_LINE.exec(output);
  if (tail === null) throw new Error(`wrk output has no "mlwatch-paced:" line from the script's done():\n${output}`);
  return { ...parseWrkOutput(output), p999Ms: Number(tail[1]) / 1000, maxMs: Number(tail[2]) / 1000 };
}
