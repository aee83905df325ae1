/**
 * Child process of drift figure 2: builds the exporter's drift state for M synthetic models
 * of F numeric features (reference profiles, DriftRecorder windows and fleet bins, the
 * DriftMonitor's plans), fills every window through record(), evaluates once, and prints one
 * JSON line of memory readings per stage. Run with --expose-gc, so readings follow a full GC.
 *
 * Usage: node --expose-gc hold-drift-state.js <models> <features> <window size> <reference rows> <sample limit>
 */
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { Random } from '../../cli/src/demo/random';
import { DriftMonitor } from '../../exporter/src/drift/drift-monitor';
import { DriftRecorder } from '../../exporter/src/drift/drift-recorder';
import type { ReferenceProfile } from '../../drift/src/profile/reference-profile';
import type { VersionSlot } from '../../exporter/src/metrics/series-layout';
import { syntheticProfile } from '../support/synthetic-profile';
import { syntheticEvent, syntheticModel, syntheticSpec } from '../support/synthetic-model';

/** One reading: bytes, as process.memoryUsage() and /proc/self/status report them. */
export interface MemoryReading {
  stage: string;
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  /** Peak RSS of the process so far (VmHWM). */
  peakRss: number;
}

const SEED = 20250611;

function reading(stage: string): MemoryReading {
  if (globalThis.gc === undefined) throw new Error('hold-drift-state: run with node --expose-gc');
  // Two passes: the first can leave weak references and finalizers for the second.
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return { stage, rss: usage.rss, heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, peakRss: peakRss() };
}

function peakRss(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? Number.NaN : Number(match[1]) * 1024;
}

function emit(stage: string): void {
  console.log(JSON.stringify(reading(stage)));
}

/** Profiles live only while the recorder and monitor are built, as in buildExporter. */
function buildDriftState(
  models: ReturnType<typeof syntheticModel>[],
  spec: ReturnType<typeof syntheticSpec>,
  reference: { rows: number; sampleLimit: number },
): { recorder: DriftRecorder; monitor: DriftMonitor } {
  const profiles = new Map<string, ReferenceProfile>();
  models.forEach((model, i) =>
    profiles.set(model.name, syntheticProfile(model, reference.rows, SEED + 1000 * i, reference.sampleLimit)),
  );
  emit('reference profiles built');
  const recorder = new DriftRecorder(spec, profiles);
  return { recorder, monitor: new DriftMonitor(spec, recorder, profiles, new Registry()) };
}

async function main(): Promise<void> {
  const [modelCount, featureCount, windowSize, referenceRows, sampleLimit] = process.argv.slice(2).map(Number);
  if (
    ![modelCount, featureCount, windowSize, referenceRows, sampleLimit].every(
      (n) => Number.isInteger(n) && (n as number) > 0,
    )
  ) {
    throw new Error('usage: hold-drift-state.js <models> <features> <window size> <reference rows> <sample limit>');
  }
  emit('baseline: node + exporter modules loaded');
  const models = Array.from({ length: modelCount as number }, (_, i) =>
    syntheticModel(`model_${i}`, { numeric: featureCount as number, categorical: 0 }),
  );
  const spec = syntheticSpec(models, { drift: { window_size: windowSize, min_samples: 1000 } });

  const { recorder, monitor } = buildDriftState(models, spec, {
    rows: referenceRows as number,
    sampleLimit: sampleLimit as number,
  });
  emit('recorder and monitor built (plans prepared; the profiles themselves dropped, as in the exporter)');

  const r = new Random(SEED);
  const now = Date.now();
  models.forEach((model, index) => {
    const slot: VersionSlot = { model: model.name, version: 'v1', index, classBase: 2 * index };
    for (let i = 0; i < (windowSize as number); i++) recorder.record(slot, syntheticEvent(r, model), now);
  });
  emit('every window full (record)');

  await monitor.evaluateAll();
  const report = monitor.latest(models[0]?.name ?? '');
  if (report?.status !== 'ok')
    throw new Error(`hold-drift-state: the evaluation gave status ${String(report?.status)}, expected ok`);
  emit('after one evaluation of every model');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
