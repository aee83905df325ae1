import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import pino from 'pino';
import { loadSpec } from '../../../spec/src/load-spec';
import { snapshotFile, startExporterServer, type ExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { packageVersion } from '../../../exporter/src/runtime/package-version';
import { demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { objectAt, type Doc } from '../../support/document';
import { defined } from '../../support/defined';
import { eventually } from '../../support/eventually';
import { freePorts } from '../../support/free-ports';

const MIN_SAMPLES = 60;

/** The demo spec with a small window, so a few requests make a verdict. */
function smallWindowSpec(edit: (spec: Doc) => void = () => undefined): { file: string; dir: string } {
  return writeDemoSpec((spec) => {
    spec['drift'] = { ...objectAt(spec, 'drift'), window_size: 200, min_samples: MIN_SAMPLES };
    edit(spec);
  });
}

/** Edits the spec file in place, as an operator would before a SIGHUP or a restart. */
function rewrite(file: string, edit: (spec: Doc) => void): void {
  const spec = yaml.load(readFileSync(file, 'utf8')) as Doc;
  edit(spec);
  writeFileSync(file, yaml.dump(spec));
}

/** A change to the demo model's spec section (so its fingerprint changes). */
function changeModel(spec: Doc): void {
  objectAt(spec, 'models', 0)['fault_injection'] = true;
}

/** A pino logger that keeps its lines. */
function capturingLogger(): { logger: pino.Logger; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, logs };
}

interface Started {
  server: ExporterServer;
  logs: Array<Record<string, unknown>>;
}

async function start(file: string): Promise<Started> {
  const { logger, logs } = capturingLogger();
  const server = await startExporterServer({ specFile: file, port: 0, host: '127.0.0.1', logger });
  return { server, logs };
}

async function ingest(server: ExporterServer, count: number, version = 'v1'): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => ({
    model: 'fraud',
    version,
    features: demoFeatures({ amount: 20 + (i % 50), hour_of_day: i % 24 }),
    prediction: i % 10 === 0 ? 'fraud' : 'legit',
    confidence: 0.9,
    latency_ms: 3,
  }));
  const res = await fetch(`${server.url}/v1/events/predictions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(200);
}

async function metrics(server: ExporterServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

/** The value of the one sample whose line starts with `selector` (name and exact labels). */
function sample(text: string, selector: string): number {
  const lines = text.split('\n').filter((line) => line.startsWith(`${selector} `));
  if (lines.length !== 1) throw new Error(`expected one sample ${selector}, found ${lines.length}`);
  return Number(defined(lines[0], selector).slice(selector.length + 1));
}

const WINDOW = 'mlwatch_drift_window_samples{model="fraud"}';
const DRIFTED = 'mlwatch_model_drifted{model="fraud"}';
const SUCCESS_V1 = 'mlwatch_predictions_total{model="fraud",version="v1",status="success"}';

function failures(text: string, reason: string): number {
  return sample(text, `mlwatch_state_snapshot_restore_failures_total{reason="${reason}"}`);
}

describe('the exporter server keeps its state across restarts and reloads', () => {
  test('regression: a restart with a snapshot keeps the windows and the gauges', async () => {
    const { file } = smallWindowSpec();
    const first = await start(file);
    await ingest(first.server, 150);
    await first.server.current.deps.driftMonitor.evaluateAll();
    const before = await metrics(first.server);
    expect(sample(before, WINDOW)).toBe(150);
    const verdict = sample(before, DRIFTED);
    expect(Number.isNaN(verdict)).toBe(false);
    // Shutdown writes the final snapshot: no interval has passed.
    await first.server.shutdown();
    const stored = defined(snapshotFile(loadSpec(file), { port: 0 }), 'the snapshot file');
    expect(existsSync(stored)).toBe(true);

    const second = await start(file);
    try {
      const after = await metrics(second.server);
      // Before any evaluation of the new process: the verdict is the one from before the restart, not NaN or 0.
      expect(sample(after, DRIFTED)).toBe(verdict);
      expect(sample(after, WINDOW)).toBe(150);
      expect(second.server.current.deps.driftMonitor.latest('fraud')?.window_size).toBe(150);
      // The window itself came back: a new evaluation sees the same 150 events.
      await second.server.current.deps.driftMonitor.evaluateAll();
      expect(sample(await metrics(second.server), WINDOW)).toBe(150);
      expect(second.logs.some((l) => String(l['msg']).startsWith('restored the drift windows'))).toBe(true);
    } finally {
      await second.server.shutdown();
    }
  });

  test('regression: a corrupt snapshot file is counted and ignored', async () => {
    const { file } = smallWindowSpec();
    const stored = defined(snapshotFile(loadSpec(file), { port: 0 }), 'the snapshot file');
    mkdirSync(path.dirname(stored), { recursive: true });
    writeFileSync(stored, '{"format":"mlwatch-state","version":1,"sections":{"drift":');
    const { server, logs } = await start(file);
    try {
      const text = await metrics(server);
      expect(failures(text, 'corrupt')).toBe(1);
      expect(sample(text, WINDOW)).toBe(0);
      expect(Number.isNaN(sample(text, DRIFTED))).toBe(true);
      expect(logs.some((l) => l['reason'] === 'corrupt' && l['level'] === 40)).toBe(true);
      // And the exporter works.
      await ingest(server, 5);
      expect(sample(await metrics(server), SUCCESS_V1)).toBe(5);
    } finally {
      await server.shutdown();
    }
  });

  test('a snapshot of a model whose spec changed is ignored and counted as fingerprint_mismatch', async () => {
    const { file } = smallWindowSpec();
    const first = await start(file);
    await ingest(first.server, 100);
    await first.server.shutdown();
    // A change in the model section: the windows no longer mean what they did.
    rewrite(file, changeModel);
    const second = await start(file);
    try {
      const text = await metrics(second.server);
      expect(failures(text, 'fingerprint_mismatch')).toBe(1);
      expect(sample(text, WINDOW)).toBe(0);
    } finally {
      await second.server.shutdown();
    }
  });

  test('regression: SIGHUP with an unchanged model keeps its counters/windows', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      await ingest(server, 120);
      await server.current.deps.driftMonitor.evaluateAll();
      // A change outside the model section: the drift thresholds.
      rewrite(file, (spec) => {
        objectAt(spec, 'drift')['thresholds'] = { psi: 0.2, jensenshannon: 0.1, wasserstein: 0.25 };
      });
      const previous = server.current;
      expect(await server.reload()).toBeUndefined();
      expect(server.current).not.toBe(previous);
      const after = await metrics(server);
      expect(sample(after, SUCCESS_V1)).toBe(120);
      expect(sample(after, 'mlwatch_prediction_latency_seconds_count{model="fraud",version="v1"}')).toBe(120);
      // The thresholds changed, so the old verdict is not carried over; the window is, and re-evaluates at once.
      await server.current.deps.driftMonitor.evaluateAll();
      const evaluated = await metrics(server);
      expect(sample(evaluated, WINDOW)).toBe(120);
      expect(Number.isNaN(sample(evaluated, DRIFTED))).toBe(false);
      expect(sample(evaluated, 'mlwatch_config_last_reload_successful')).toBe(1);
    } finally {
      await server.shutdown();
    }
  });

  test('a reload with no change keeps the verdict gauges as they were', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      await ingest(server, 120);
      await server.current.deps.driftMonitor.evaluateAll();
      const verdict = sample(await metrics(server), DRIFTED);
      expect(await server.reload()).toBeUndefined();
      const after = await metrics(server);
      expect(sample(after, DRIFTED)).toBe(verdict);
      expect(sample(after, WINDOW)).toBe(120);
    } finally {
      await server.shutdown();
    }
  });

  test('a reload that changes a model starts that model from zero and keeps the counters without a model label', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      await ingest(server, 30);
      const bad = await fetch(`${server.url}/v1/events/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(bad.status).toBe(400);
      rewrite(file, changeModel);
      expect(await server.reload()).toBeUndefined();
      const text = await metrics(server);
      expect(sample(text, SUCCESS_V1)).toBe(0);
      expect(sample(text, 'mlwatch_rejected_events_total{reason="malformed_json"}')).toBe(1);
      // A reload is not a restore from disk: a changed model is expected, not a failure.
      expect(failures(text, 'fingerprint_mismatch')).toBe(0);
    } finally {
      await server.shutdown();
    }
  });

  test('regression: a failed reload sets mlwatch_config_last_reload_successful to 0, and the next good one back to 1', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      const original = readFileSync(file, 'utf8');
      const loadedAt = sample(await metrics(server), 'mlwatch_config_last_reload_success_timestamp_seconds');
      writeFileSync(file, original.replace('type: numeric', 'type: nummeric'));
      expect(await server.reload()).toBeInstanceOf(Error);
      const failed = await metrics(server);
      expect(sample(failed, 'mlwatch_config_last_reload_successful')).toBe(0);
      expect(sample(failed, 'mlwatch_config_last_reload_success_timestamp_seconds')).toBe(loadedAt);
      writeFileSync(file, original);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await server.reload()).toBeUndefined();
      const fixed = await metrics(server);
      expect(sample(fixed, 'mlwatch_config_last_reload_successful')).toBe(1);
      expect(sample(fixed, 'mlwatch_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(loadedAt);
    } finally {
      await server.shutdown();
    }
  });

  test('a reload that changes the port says that it needs a restart', async () => {
    const [port, otherPort] = await freePorts(2);
    const { file } = smallWindowSpec((spec) => {
      spec['exporter'] = { ...objectAt(spec, 'exporter'), port };
    });
    const { logger, logs } = capturingLogger();
    // The port comes from the spec (no override), so a changed exporter.port matters.
    const server = await startExporterServer({ specFile: file, host: '127.0.0.1', logger });
    try {
      rewrite(file, (spec) => {
        objectAt(spec, 'exporter')['port'] = otherPort;
      });
      expect(await server.reload()).toBeUndefined();
      const warning = logs.find((l) => l['level'] === 40 && String(l['msg']).includes('needs a restart'));
      expect(warning?.['msg']).toBe(
        `exporter.port changed from ${port} to ${otherPort}: this needs a restart; the exporter keeps listening on ${port}`,
      );
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await server.shutdown();
    }
  });

  test('mlwatch_build_info carries the package version', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      const text = await metrics(server);
      expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
      expect(sample(text, `mlwatch_build_info{version="${packageVersion()}",node_version="${process.version}"}`)).toBe(
        1,
      );
    } finally {
      await server.shutdown();
    }
  });

  test('the periodic snapshot is written atomically, leaving no temporary file, and is counted', async () => {
    const { file } = smallWindowSpec();
    const { server } = await start(file);
    try {
      await ingest(server, 10);
      expect(await server.snapshot()).toBe(true);
      const stored = defined(snapshotFile(loadSpec(file), { port: 0 }), 'the snapshot file');
      expect(readdirSync(path.dirname(stored))).toEqual([path.basename(stored)]);
      const text = await metrics(server);
      expect(sample(text, 'mlwatch_state_snapshot_writes_total{status="success"}')).toBe(1);
      expect(sample(text, 'mlwatch_state_snapshot_last_write_timestamp_seconds')).toBeGreaterThan(0);
    } finally {
      await server.shutdown();
    }
  });

  test('snapshots are written on state.snapshot_interval_seconds, without a request or a shutdown', async () => {
    const { file } = smallWindowSpec((spec) => {
      spec['state'] = { snapshot_interval_seconds: 0.05 };
    });
    const { server } = await start(file);
    try {
      await ingest(server, 10);
      const stored = defined(snapshotFile(loadSpec(file), { port: 0 }), 'the snapshot file');
      const written = await eventually(
        'two periodic snapshots',
        async () => {
          const count = sample(await metrics(server), 'mlwatch_state_snapshot_writes_total{status="success"}');
          return count >= 2 ? count : undefined;
        },
        5000,
        20,
      );
      expect(written).toBeGreaterThanOrEqual(2);
      const document = JSON.parse(readFileSync(stored, 'utf8')) as { sections: { drift: { models: object } } };
      expect(Object.keys(document.sections.drift.models)).toEqual(['fraud', 'spend']);
    } finally {
      await server.shutdown();
    }
  });

  test('state.dir null keeps no snapshot', async () => {
    const { file, dir } = smallWindowSpec((spec) => {
      spec['state'] = { dir: null };
    });
    const { server } = await start(file);
    await ingest(server, 10);
    expect(await server.snapshot()).toBe(true);
    await server.shutdown();
    expect(snapshotFile(loadSpec(file), { port: 0 })).toBeNull();
    expect(existsSync(path.join(dir, 'state'))).toBe(false);
  });
});
