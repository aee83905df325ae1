import type { SnapshotRestoreFailureReason } from '../../../spec/src/conventions';

/** Why one part of a snapshot was not restored, for the ops log and the restore-failure counter. */
export interface RestoreProblem {
  readonly reason: SnapshotRestoreFailureReason;
  /** What was skipped and why, e.g. `model fraud: its spec or reference profile changed`. */
  readonly detail: string;
}

/**
 * One named part of the exporter's state that survives restarts or reloads: drift windows now,
 * and the join store and traffic weights as they come. A section captures itself as plain
 * JSON data and restores what still fits the running spec, reporting the rest.
 */
export interface StateSection {
  /** Key of the section in a snapshot document; stable across versions. */
  readonly name: string;
  /**
   * Whether the section is written to disk. Counters are not: after a restart Prometheus expects
   * them to start again from zero, and a restored count older than the last scrape would be read
   * as a reset and counted twice. They are still carried across reloads, in memory.
   */
  readonly durable: boolean;
  /** The section's state at `nowMs` as JSON-serialisable data. */
  capture(nowMs: number): unknown;
  /**
   * Restores what fits from `data` (captured by a section of the same name, maybe by an older
   * spec) and returns what did not; throws {@link SnapshotFormatError} when `data` is malformed.
   */
  restore(data: unknown, nowMs: number): RestoreProblem[];
}

/** A snapshot that is not the shape its format promises; the section (or file) is counted as corrupt. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** `value` as a plain object, or a {@link SnapshotFormatError} naming `where`. */
export function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SnapshotFormatError(`${where}: expected an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** `value` as an array, or a {@link SnapshotFormatError} naming `where`. */
export function arrayAt(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new SnapshotFormatError(`${where}: expected an array, got ${describe(value)}`);
  return value;
}

/** `value` as a string, or a {@link SnapshotFormatError} naming `where`. */
export function stringAt(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new SnapshotFormatError(`${where}: expected a string, got ${describe(value)}`);
  return value;
}

/** `value` as a finite number, or a {@link SnapshotFormatError} naming `where`. */
export function numberAt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new SnapshotFormatError(`${where}: expected a finite number, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
