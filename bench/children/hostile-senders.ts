/**
 * Child process of the hostile-bodies figure: `concurrency` senders each POST a hostile body of
 * the given size and kind, on a new connection, and send again as soon as it is
 * answered, until the duration is over; then prints one JSON line counting the answers by status
 * (or socket error code). A process of its own, so that writing 640 MiB into sockets does not
 * delay the probes that measure the server.
 *
 * Kinds: `elements`, `{"events":[{},{},…]}` (millions of elements: refused while it arrives);
 * `one-event`, `{"events":[{"pad":"xxx…"}]}` (read whole before its 413, so the in-flight cap bounds it).
 *
 * Usage: node hostile-senders.js <url> <body bytes> <concurrency> <duration ms> <kind>
 */
import { request } from 'node:http';

function post(url: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      timeout: 60_000,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

/** A hostile body of `bytes` bytes, give or take two. */
export function hostileBody(kind: string, bytes: number): Buffer {
  if (kind === 'one-event') return Buffer.from(`{"events":[{"pad":"${'x'.repeat(bytes - 24)}"}]}`);
  if (kind !== 'elements') throw new Error(`unknown kind ${kind} (elements, one-event)`);
  const count = Math.floor((bytes - 13) / 3);
  return Buffer.from(`{"events":[${'{},'.repeat(count - 1)}{}]}`);
}

async function main(): Promise<void> {
  const [url, bytesText, concurrencyText, durationText, kind] = process.argv.slice(2);
  if (url === undefined || bytesText === undefined || concurrencyText === undefined || durationText === undefined)
    throw new Error('usage: hostile-senders.js <url> <body bytes> <concurrency> <duration ms> <kind>');
  const body = hostileBody(kind ?? 'elements', Number(bytesText));
  const deadline = Date.now() + Number(durationText);
  const answers: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: Number(concurrencyText) }, async () => {
      while (Date.now() < deadline) {
        const answer = await post(url, body);
        answers[answer] = (answers[answer] ?? 0) + 1;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
