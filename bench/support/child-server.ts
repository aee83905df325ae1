import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { track } from './reaper';

/** How to start one server under test. */
export interface ChildServerOptions {
  /** Name in messages, e.g. "bare express". */
  name: string;
  /** Compiled server entry point (a .js file). */
  script: string;
  args: readonly string[];
  /** Port the script was told to listen on, on 127.0.0.1. */
  port: number;
  /** CPU the server is pinned to with `taskset`. */
  cpu: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** How long to wait for `/readyz`, in milliseconds. */
  readyTimeoutMs?: number;
  /** Variables added to this process's environment for the server. */
  env?: Readonly<Record<string, string>>;
  /** Called with every complete line the server writes to stderr (e.g. bench/support/process-report.ts lines). */
  onStderrLine?: (line: string) => void;
}

/** A server running in its own pinned process. */
export interface ChildServer {
  readonly name: string;
  /** Base URL, without a trailing slash. */
  readonly url: string;
  readonly pid: number;
  /** Sends SIGTERM, waits for the exit, and SIGKILLs after a grace period. */
  stop(): Promise<void>;
}

const STDERR_TAIL_CHARS = 4000;
const STOP_GRACE_MS = 5000;
/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node script ...args` under `taskset -c cpu` and resolves once GET /readyz answers 200.
 * Stdout goes to /dev/null (the exporter's prediction log would otherwise be piped
 * through this process and cost both sides CPU); the tail of stderr is kept for errors.
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const child = spawn(
    'taskset',
    ['-c', String(options.cpu), process.execPath, ...(options.nodeArgs ?? []), options.script, ...options.args],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  track(child);
  let stderrTail = '';
  let partialLine = '';
  const onLine = options.onStderrLine;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    if (onLine === undefined) return;
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitReady(`${url}/readyz`, exited, options.readyTimeoutMs ?? 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `${options.name} (${options.script}) did not start: ${(error as Error).message}\n--- stderr ---\n${stderrTail}`,
      { cause: error },
    );
  }
  return {
    name: options.name,
    url,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitReady(readyUrl: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the process exited with code ${String(gone)}`);
    try {
      const response = await fetch(readyUrl);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no 200 from ${readyUrl} within ${timeoutMs} ms`);
}
