import type { LoadGenerator } from './load-generator';

/** What every figure needs: where things are, which tool loads, which cores, how long. */
export interface BenchContext {
  repoRoot: string;
  /** Temp dir for specs, logs and request bodies; removed at the end. */
  tmpDir: string;
  /** Directory of the compiled server entry points. */
  serversDir: string;
  load: LoadGenerator;
  /** Core the server under test is pinned to. */
  serverCpu: number;
  /** Core the load generator is pinned to. */
  loadCpu: number;
  /** Timed runs per side; the median is reported. */
  runs: number;
  /** Seconds per timed run. */
  durationSeconds: number;
  /** Seconds of untimed load per server before its first timed run, so the JIT has settled. */
  warmupSeconds: number;
  /** Extra node flags for the server processes (e.g. --cpu-prof). */
  serverNodeArgs: readonly string[];
}
