import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithTools } from './real-tools';
import { freePorts } from './free-ports';

/** Debian's Redis binary (package redis-server), started by the tests that need a real Redis. */
export const REDIS_SERVER = 'redis-server';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** `describe` for tests that start Redis: fails loudly under CI=true when redis-server is missing, skips with a warning elsewhere. */
export function describeWithRedis(name: string, body: () => void): void {
  describeWithTools([REDIS_SERVER], name, body);
}

/**
 * A throwaway Redis on a free loopback port, without persistence (`--save '' --appendonly no`),
 * as a child process of the test. `stop` then `start` again restarts it on the same port (empty).
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(readonly port: number) {}

  /** Starts a Redis on a free port and waits until it answers PING. */
  static async start(): Promise<RedisServer> {
    const [port] = await freePorts(1);
    const server = new RedisServer(port as number);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error(`redis-server on port ${this.port} is running already`);
    this.output = '';
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
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
