import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, type SupervisedProcess } from './supervised-process';

const POLL_MS = 100;
const REQUEST_TIMEOUT_MS = 1000;

/**
 * Resolves once `url` answers 200; rejects when the process exits first or `timeoutMs`
 * passes, with the end of its log in the message.
 */
export async function waitHealthy(part: SupervisedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!part.isRunning) {
      const exit = await part.exited;
      throw new Error(
        `${part.options.name} exited (${describeExit(exit)}) before ${url} answered; its log:\n${part.logTail()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(POLL_MS);
  }
  throw new Error(
    `${part.options.name} did not answer ${url} within ${timeoutMs / 1000} s (last: ${last}); its log:\n${part.logTail()}`,
  );
}
