import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** Name in messages, e.g. `prometheus` or `exporter-1`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr go here. */
  readonly logFile: string;
  readonly cwd?: string;
  /** Called with every line the process prints on stdout. */
  readonly onLine?: (line: string) => void;
}

/** Grace a process gets after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;

/** Every process still running, so that an exiting parent can take them all along. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Runs on any exit of the parent, a failing test run included; only synchronous calls work here.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * One child process of the stack, its output in a log file. It runs in its own process
 * group, so a Ctrl-C at the terminal reaches only the stack, which then stops its parts in
 * order instead of racing them.
 */
export class SupervisedProcess {
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private ended = false;

  constructor(readonly options: ProcessOptions) {
    installExitHook();
    this.log = createWriteStream(options.logFile, { flags: 'a' });
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(this.child);
    let pending = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      if (options.onLine === undefined) return;
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => this.log.write(chunk));
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProcessExit) => {
        if (this.ended) return;
        this.ended = true;
        running.delete(this.child);
        this.log.end(() => resolve(exit));
      };
      // 'close' comes after the output pipes are drained, so the log holds the last words.
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => finish({ code, signal }));
      this.child.once('error', (error) => {
        this.log.write(`cannot start ${options.command}: ${error.message}\n`);
        finish({ code: 127, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return !this.ended;
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  async stop(graceMs = STOP_GRACE_MS): Promise<ProcessExit> {
    if (this.ended) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Last lines of the log, for error messages. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Text of an exit for messages: `exit code 1` or `signal SIGKILL`. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
}
