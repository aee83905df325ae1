import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { freePort, startChildServer } from '../support/child-server';
import { demoPredictBodies, writeDemoSpecCopy } from '../support/demo-spec';
import { median } from '../support/median';
import { num, row } from '../support/report';
import { track } from '../support/reaper';

/** What one hostile-bodies run needs. */
export interface HostileOptions {
  repoRoot: string;
  tmpDir: string;
  serversDir: string;
  serverCpu: number;
  runs: number;
  /** Seconds of each phase: baseline (probes and valid traffic only), then hostile. */
  durationSeconds: number;
  /** Hostile senders at once, each sending its next body when the last one is answered. */
  concurrency: number;
  /** Bytes of each hostile body. */
  bodyBytes: number;
  /** `elements` (`{"events":[{},{},…]}`) or `one-event` (one event padded to the size, read whole). */
  kind: 'elements' | 'one-event';
}

/** One phase's measurements. */
interface Phase {
  probeP50Ms: number;
  probeP99Ms: number;
  probeMaxMs: number;
  probes: number;
  maxRssMiB: number;
  validSent: number;
  validAccepted: number;
  valid503: number;
  hostileAnswers: Map<string, number>;
}

const PROBE_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 10_000;
const VALID_INTERVAL_MS = 200;
const VALID_BATCH_EVENTS = 50;
const TARGET_P99_MS = 1000;
const TARGET_RSS_MIB = 1024;

/**
 * While `concurrency` hostile bodies (`options.kind`) arrive at once (each sender sends again
 * as soon as it is answered), GET /healthz and /metrics are probed every 50 ms and valid ingest
 * batches are sent every 200 ms (honouring Retry-After); the same probes and traffic without the
 * hostile senders are the baseline. Server RSS is sampled from /proc every 50 ms.
 */
export async function runHostileBodies(options: HostileOptions): Promise<void> {
  const copy = writeDemoSpecCopy(options.repoRoot, path.join(options.tmpDir, 'hostile'));
  const validBody = validBatch(copy.specFile);
  console.log(
    `\nHostile bodies: ${options.concurrency} × ${num(options.bodyBytes / 2 ** 20, 1)} MiB of ${options.kind === 'elements' ? '{"events":[{},{},…]}' : '{"events":[{"pad":"xxx…"}]}'} at once, ${options.durationSeconds} s per phase, ${options.runs} runs (a fresh server each)`,
  );
  const results: { baseline: Phase; hostile: Phase }[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const port = await freePort();
    const server = await startChildServer({
      name: 'exporter',
      script: path.join(options.serversDir, 'full-exporter.js'),
      args: [copy.specFile, String(port)],
      port,
      cpu: options.serverCpu,
    });
    try {
      const baseline = await measure(server.url, server.pid, validBody, false, options);
      const hostile = await measure(server.url, server.pid, validBody, true, options);
      results.push({ baseline, hostile });
      printRun(run, baseline, hostile);
    } finally {
      await server.stop();
    }
  }
  printSummary(results);
}

async function measure(
  url: string,
  pid: number,
  validBody: Buffer,
  withHostile: boolean,
  options: HostileOptions,
): Promise<Phase> {
  const deadline = Date.now() + options.durationSeconds * 1000;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const probeMs: number[] = [];
  let maxRss = 0;
  const probes = setInterval(() => {
    for (const route of ['/healthz', '/metrics']) void timed(url + route, agent).then((ms) => probeMs.push(ms));
  }, PROBE_INTERVAL_MS);
  const rss = setInterval(() => (maxRss = Math.max(maxRss, rssBytes(pid))), PROBE_INTERVAL_MS);
  const valid = { sent: 0, accepted: 0, refused: 0 };
  const validLoop = (async () => {
    while (Date.now() < deadline) {
      await sendValid(url, validBody, agent, valid);
      await sleep(VALID_INTERVAL_MS);
    }
  })();
  const senders = withHostile ? hostileSenders(url, options) : Promise.resolve(new Map<string, number>());
  const [, answers] = await Promise.all([validLoop, senders]);
  clearInterval(probes);
  clearInterval(rss);
  // The probes still out are waited for, so a stalled one counts with its real latency.
  await sleep(Math.min(PROBE_TIMEOUT_MS, 2000));
  agent.destroy();
  const sorted = [...probeMs].sort((a, b) => a - b);
  return {
    probeP50Ms: quantile(sorted, 0.5),
    probeP99Ms: quantile(sorted, 0.99),
    probeMaxMs: sorted.at(-1) ?? Number.NaN,
    probes: sorted.length,
    maxRssMiB: maxRss / 2 ** 20,
    validSent: valid.sent,
    validAccepted: valid.accepted,
    valid503: valid.refused,
    hostileAnswers: answers,
  };
}

/** Sends one valid batch, retrying after a 503 as its Retry-After says (a well-behaved client). */
async function sendValid(
  url: string,
  body: Buffer,
  agent: Agent,
  counts: { sent: number; accepted: number; refused: number },
): Promise<void> {
  counts.sent += VALID_BATCH_EVENTS;
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await post(url + '/v1/events/predictions', body, agent);
    if (answer.status === 503) {
      counts.refused++;
      await sleep(1000 * Number(answer.retryAfter ?? '1'));
      continue;
    }
    if (answer.status === 200) counts.accepted += (JSON.parse(answer.text) as { accepted: number }).accepted;
    return;
  }
}

interface Answer {
  status: number;
  label: string;
  text: string;
  retryAfter: string | undefined;
}

function post(url: string, body: Buffer, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      timeout: 60_000,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, label: String(res.statusCode), text, retryAfter });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, label: error.code ?? 'error', text: '', retryAfter: undefined }),
    );
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

/** The hostile senders, in a child process pinned to the other core; resolves to their answers by status. */
function hostileSenders(url: string, options: HostileOptions): Promise<Map<string, number>> {
  const script = path.join(options.serversDir, '..', 'children', 'hostile-senders.js');
  const args = [String(1 - options.serverCpu), process.execPath, script, `${url}/v1/events/predictions`];
  args.push(
    String(options.bodyBytes),
    String(options.concurrency),
    String(options.durationSeconds * 1000),
    options.kind,
  );
  const child = spawn('taskset', ['-c', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  track(child);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`hostile senders exited with code ${String(code)}`));
      else resolve(new Map(Object.entries(JSON.parse(out) as Record<string, number>)));
    });
  });
}

function timed(url: string, agent: Agent): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - start));
    });
    req.on('error', () => resolve(PROBE_TIMEOUT_MS));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Resident set size of a process from /proc (0 once it is gone). */
function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}

function validBatch(specFile: string): Buffer {
  const rows = demoPredictBodies(specFile).map((text) => (JSON.parse(text) as { features: unknown }).features);
  const events = rows.slice(0, VALID_BATCH_EVENTS).map((features) => ({
    model: 'fraud',
    version: 'v1',
    prediction: 'legit',
    confidence: 0.9,
    latency_ms: 3.5,
    features,
  }));
  return Buffer.from(JSON.stringify({ events }));
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function phaseCells(name: string, phase: Phase): string {
  const hostile = [...phase.hostileAnswers.entries()].map(([label, n]) => `${label}×${n}`).join(' ');
  return row([
    [name, -9],
    [`${num(phase.probeP50Ms, 1)} ms`, 10],
    [`${num(phase.probeP99Ms, 1)} ms`, 11],
    [`${num(phase.probeMaxMs, 0)} ms`, 9],
    [`${num(phase.maxRssMiB, 0)} MiB`, 9],
    [`${num(phase.validAccepted)}/${num(phase.validSent)}`, 12],
    [String(phase.valid503), 5],
    [hostile, -1],
  ]);
}

function printRun(run: number, baseline: Phase, hostile: Phase): void {
  console.log(`\n run ${run}`);
  console.log(
    row([
      ['phase', -9],
      ['probe p50', 10],
      ['probe p99', 11],
      ['max', 9],
      ['max RSS', 9],
      ['valid acc.', 12],
      ['503s', 5],
      ['hostile answers', -1],
    ]),
  );
  console.log(phaseCells('baseline', baseline));
  console.log(phaseCells('hostile', hostile));
}

function printSummary(results: readonly { baseline: Phase; hostile: Phase }[]): void {
  const med = (pick: (r: { baseline: Phase; hostile: Phase }) => number): number => median(results.map(pick));
  const p99 = med((r) => r.hostile.probeP99Ms);
  const rss = med((r) => r.hostile.maxRssMiB);
  const acceptedShare = med((r) => r.hostile.validAccepted / r.hostile.validSent);
  console.log(`\n medians of ${results.length} runs (baseline → hostile)`);
  console.log(
    `  probe p50      ${num(
      med((r) => r.baseline.probeP50Ms),
      1,
    )} ms → ${num(
      med((r) => r.hostile.probeP50Ms),
      1,
    )} ms`,
  );
  console.log(
    `  probe p99      ${num(
      med((r) => r.baseline.probeP99Ms),
      1,
    )} ms → ${num(p99, 1)} ms   ${p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'} (target ≤ ${TARGET_P99_MS} ms)`,
  );
  console.log(
    `  max RSS        ${num(
      med((r) => r.baseline.maxRssMiB),
      0,
    )} MiB → ${num(rss, 0)} MiB   ${rss < TARGET_RSS_MIB ? 'PASS' : 'FAIL'} (target < ${TARGET_RSS_MIB} MiB)`,
  );
  console.log(
    `  valid accepted ${num(100 * med((r) => r.baseline.validAccepted / r.baseline.validSent), 1)}% → ${num(100 * acceptedShare, 1)}%   ${acceptedShare === 1 ? 'PASS' : 'FAIL'} (target: every valid event)`,
  );
}
