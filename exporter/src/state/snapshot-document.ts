/** What a snapshot file holds: a versioned envelope around named sections. */
export interface SnapshotDocument {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_FORMAT_VERSION;
  /** ISO 8601 time of the capture. */
  readonly written_at: string;
  /** Section data by section name (see StateSection). */
  readonly sections: Readonly<Record<string, unknown>>;
}

/** The `format` of every snapshot file, so a stray JSON file is not mistaken for one. */
export const SNAPSHOT_FORMAT = 'mlwatch-state';

/** Bumped when a section's layout changes incompatibly; an older or newer file is reported and ignored. */
export const SNAPSHOT_FORMAT_VERSION = 1;
