/**
 * The drift windows and their latest verdicts as a state section, so a restart or a reload
 * neither empties the windows nor blanks the verdict gauges of a model that did not change.
 */
import type { DriftSpec } from '../../../spec/src/schema';
import type { DriftReport } from '../../../drift/src/engine/drift-report';
import { fingerprint } from '../state/fingerprint';
import {
  SnapshotFormatError,
  arrayAt,
  numberAt,
  objectAt,
  stringAt,
  type RestoreProblem,
  type StateSection,
} from '../state/state-section';
import { decodeFloat64, decodeInt32, encodeFloat64, encodeInt32 } from '../state/typed-array-codec';
import type { DriftMonitor } from './drift-monitor';
import type { DriftRecorder, DriftTarget } from './drift-recorder';
import type { WindowEvents } from './window/drift-window';

/** Name of the drift section in a snapshot document. */
export const DRIFT_SECTION = 'drift';

/**
 * The section of the monitored windows: per model its fingerprint, per target the window's
 * fresh events and the latest report. Windows are restored when the model's fingerprint
 * matches; reports only when the drift settings are also the same (they were decided under them).
 */
export function driftStateSection(
  drift: DriftSpec,
  recorder: DriftRecorder,
  monitor: DriftMonitor,
  fingerprints: ReadonlyMap<string, string>,
): StateSection {
  const verdictFingerprint = fingerprint(drift);
  const monitored = (): DriftTarget[] => recorder.targets.filter((t) => monitor.monitors(t.model));
  return {
    name: DRIFT_SECTION,
    durable: true,
    capture: (nowMs) => {
      const reports = monitor.latestReports();
      const models: Record<string, { fingerprint: string | undefined; targets: unknown[] }> = {};
      for (const target of monitored()) {
        const entry = (models[target.model] ??= { fingerprint: fingerprints.get(target.model), targets: [] });
        const latest = reports.find((r) => r.model === target.model && r.version === target.version) ?? null;
        entry.targets.push({
          version: target.version ?? null,
          window: encodeEvents(target.window.exportEvents(nowMs)),
          latest,
        });
      }
      return { verdict_fingerprint: verdictFingerprint, models };
    },
    restore: (data) => {
      const top = objectAt(data, 'drift');
      const sameVerdicts = top['verdict_fingerprint'] === verdictFingerprint;
      const problems: RestoreProblem[] = [];
      for (const [model, value] of Object.entries(objectAt(top['models'], 'drift.models'))) {
        const where = `drift.models.${model}`;
        const entry = objectAt(value, where);
        const expected = fingerprints.get(model);
        if (expected === undefined) {
          problems.push({ reason: 'unknown_target', detail: `model ${model} is no longer in the spec` });
          continue;
        }
        if (entry['fingerprint'] !== expected) {
          problems.push({
            reason: 'fingerprint_mismatch',
            detail: `model ${model}: its spec section or reference profile changed, so its windows start empty`,
          });
          continue;
        }
        for (const [i, item] of arrayAt(entry['targets'], `${where}.targets`).entries()) {
          problems.push(...restoreTarget(model, objectAt(item, `${where}.targets[${i}]`), `${where}.targets[${i}]`));
        }
      }
      return problems;

      function restoreTarget(model: string, item: Record<string, unknown>, where: string): RestoreProblem[] {
        const version = item['version'] === null ? undefined : stringAt(item['version'], `${where}.version`);
        const target = recorder.targets.find((t) => t.model === model && t.version === version);
        const name = version === undefined ? `model ${model}` : `model ${model} version ${version}`;
        if (target === undefined || !monitor.monitors(model))
          return [
            { reason: 'unknown_target', detail: `${name}: no such drift window now (drift.per_version changed?)` },
          ];
        const events = decodeEvents(objectAt(item['window'], `${where}.window`), `${where}.window`);
        try {
          target.window.importEvents(events);
        } catch (error) {
          throw new SnapshotFormatError(`${where}.window: ${(error as Error).message}`, { cause: error });
        }
        if (sameVerdicts && item['latest'] !== null && item['latest'] !== undefined)
          monitor.restoreLatest(checkReport(item['latest'], model, version, `${where}.latest`));
        return [];
      }
    },
  };
}

function encodeEvents(events: WindowEvents): Record<string, unknown> {
  const map = <T>(columns: ReadonlyMap<string, T>, encode: (c: T) => string) =>
    Object.fromEntries([...columns].map(([name, column]) => [name, encode(column)]));
  return {
    size: events.size,
    numeric: map(events.numeric, encodeFloat64),
    categorical: map(events.categorical, encodeInt32),
    classes: encodeInt32(events.classes),
    outputs: encodeFloat64(events.outputs),
    confidences: encodeFloat64(events.confidences),
    arrivals: encodeFloat64(events.arrivals),
  };
}

function decodeEvents(window: Record<string, unknown>, where: string): WindowEvents {
  const size = numberAt(window['size'], `${where}.size`);
  if (!Number.isInteger(size) || size < 0)
    throw new SnapshotFormatError(`${where}.size: expected a count, got ${size}`);
  const floats = (value: unknown, at: string) => decodeFloat64(stringAt(value, at), size, at);
  const ints = (value: unknown, at: string) => decodeInt32(stringAt(value, at), size, at);
  const columns = <T>(value: unknown, at: string, decode: (v: unknown, at: string) => T): Map<string, T> =>
    new Map(Object.entries(objectAt(value, at)).map(([name, column]) => [name, decode(column, `${at}.${name}`)]));
  return {
    size,
    numeric: columns(window['numeric'], `${where}.numeric`, floats),
    categorical: columns(window['categorical'], `${where}.categorical`, ints),
    classes: ints(window['classes'], `${where}.classes`),
    outputs: floats(window['outputs'], `${where}.outputs`),
    confidences: floats(window['confidences'], `${where}.confidences`),
    arrivals: floats(window['arrivals'], `${where}.arrivals`),
  };
}

/** A report from a snapshot, checked for what publishing it reads. */
function checkReport(value: unknown, model: string, version: string | undefined, where: string): DriftReport {
  const report = objectAt(value, where);
  if (report['model'] !== model || (report['version'] ?? undefined) !== version)
    throw new SnapshotFormatError(`${where}: the report is of another window`);
  stringAt(report['status'], `${where}.status`);
  numberAt(report['window_size'], `${where}.window_size`);
  for (const [i, row] of arrayAt(report['features'], `${where}.features`).entries())
    stringAt(objectAt(row, `${where}.features[${i}]`)['feature'], `${where}.features[${i}].feature`);
  if (report['output_drift'] !== undefined) objectAt(report['output_drift'], `${where}.output_drift`);
  return report as unknown as DriftReport;
}
