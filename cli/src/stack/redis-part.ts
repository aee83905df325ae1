import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Spec } from '../../../spec/src/schema';
import type { SupervisedProcess } from './supervised-process';

/**
 * Whether a stack of `replicas` exporters shares a Redis join store: with several replicas a
 * label usually reaches another replica than its prediction did, so the labels need the shared
 * store; a single replica (or a spec without labels) keeps the memory store.
 */
export function stackUsesRedis(spec: Spec, replicas: number): boolean {
  return replicas > 1 && spec.models.some((model) => model.quality !== undefined);
}

/** `redis-server` arguments for the stack: loopback, no persistence (the stack's state is throwaway). */
export function redisArgs(port: number): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
}

/** Waits until the Redis on `port` answers PING, or rejects after `timeoutMs` (or when it exits first). */
export async function waitRedisReady(process: SupervisedProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state = { exited: false };
  void process.exited.then(() => (state.exited = true));
  while (Date.now() < deadline) {
    if (await pings(port)) return;
    if (state.exited) throw new Error(`redis-server exited before answering PING; its log:\n${process.logTail()}`);
    await sleep(100);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

/** One PING over a fresh connection: true on +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
