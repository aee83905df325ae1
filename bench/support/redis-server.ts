import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './child-server';
import { track } from './reaper';

/** Debian's Redis binary (package redis-server), started by the benchmarks and tests that need a real Redis. */
export const REDIS_SERVER = 'redis-server';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * A throwaway Redis on a free loopback port, without persistence (`--save '' --appendonly no`),
 * as a child process (killed by the bench reaper on exit). `stop` then `start` again restarts it
 * on the same port, empty.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    /** CPU the server is pinned to with `taskset`, or undefined for none. */
    private readonly cpu: number | undefined,
  ) {}

  /** Starts a Redis on a free port (pinned to `cpu` when given) and waits until it answers PING. */
  static async start(options: { cpu?: number } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.cpu);
    await server.start();
    return server;
  }

  /** Process id of the running server (of taskset, which execs redis-server in place), or undefined when stopped. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error(`redis-server on port ${this.port} is running already`);
    this.output = '';
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child =
      this.cpu === undefined
        ? spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('taskset', ['-c', String(this.cpu), REDIS_SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const state = { exited: false };
    child.once('exit', () => {
      state.exited = true;
    });
    child.once('error', (error) => {
      state.exited = true;
      this.output += `${error.message} (apt-get install -y redis-server)`;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await pingAnswered(this.port))) {
      if (state.exited || Date.now() > deadline) {
        this.child = undefined;
        child.kill('SIGKILL');
        throw new Error(
          `redis-server on port ${this.port} ${state.exited ? 'exited' : `did not answer PING within ${START_TIMEOUT_MS} ms`}:\n${this.output}`,
        );
      }
      await sleep(50);
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** True when a Redis on `port` answers PING with +PONG. */
async function pingAnswered(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
