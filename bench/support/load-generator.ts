/** One timed load run: POST JSON bodies to one URL over keep-alive connections. */
export interface LoadRun {
  /** Full URL including the path. */
  url: string;
  /** File with one JSON request body per line; requests cycle through them. */
  bodiesFile: string;
  connections: number;
  threads: number;
  durationSeconds: number;
  /** CPU the load generator is pinned to with `taskset`. */
  cpu: number;
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx; any at all means the run measured errors, not work. */
  non2xx: number;
  /** Connect, read, write and timeout errors. */
  socketErrors: number;
}

/** A load generator behind a common shape, so the figures do not care which tool ran. */
export interface LoadGenerator {
  /** Tool name and version, for the report header. */
  readonly describe: string;
  run(load: LoadRun): Promise<LoadResult>;
}
