import { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, type SnapshotDocument } from './snapshot-document';
import { SnapshotFormatError, objectAt, type RestoreProblem, type StateSection } from './state-section';

/** Which sections a capture takes: the durable ones for a file, all of them for a reload. */
export type CaptureScope = 'disk' | 'reload';

/**
 * The exporter's restorable state as named sections. One store per generation: a snapshot
 * file is captured from it and restored into it at start-up, and a reload restores the
 * previous generation's capture into the next one's.
 */
export class StateStore {
  private readonly sections: ReadonlyMap<string, StateSection>;

  constructor(sections: readonly StateSection[]) {
    const byName = new Map<string, StateSection>();
    for (const section of sections) {
      if (byName.has(section.name)) throw new Error(`StateStore: two sections named ${JSON.stringify(section.name)}`);
      byName.set(section.name, section);
    }
    this.sections = byName;
  }

  /** A snapshot document of the sections in `scope` at `nowMs`. */
  capture(nowMs: number, scope: CaptureScope): SnapshotDocument {
    const sections: Record<string, unknown> = {};
    for (const section of this.sections.values()) {
      if (scope === 'reload' || section.durable) sections[section.name] = section.capture(nowMs);
    }
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_FORMAT_VERSION,
      written_at: new Date(nowMs).toISOString(),
      sections,
    };
  }

  /**
   * Restores every section the document has, and returns what was not restored: the whole
   * document when its format or version is wrong, a section when it is malformed (the
   * others are still restored), and whatever each section reports. Never throws.
   */
  restore(document: unknown, nowMs: number): RestoreProblem[] {
    let sections: Record<string, unknown>;
    try {
      const top = objectAt(document, 'snapshot');
      if (top['format'] !== SNAPSHOT_FORMAT)
        return [{ reason: 'corrupt', detail: `snapshot: format is not ${JSON.stringify(SNAPSHOT_FORMAT)}` }];
      if (top['version'] !== SNAPSHOT_FORMAT_VERSION)
        return [
          {
            reason: 'unsupported_version',
            detail: `snapshot: version ${JSON.stringify(top['version'])}, this exporter reads version ${SNAPSHOT_FORMAT_VERSION}`,
          },
        ];
      sections = objectAt(top['sections'], 'snapshot.sections');
    } catch (error) {
      return [{ reason: 'corrupt', detail: (error as Error).message }];
    }
    const problems: RestoreProblem[] = [];
    for (const [name, data] of Object.entries(sections)) {
      const section = this.sections.get(name);
      // A section this exporter does not have (written by a newer one, or not configured) is left alone.
      if (section === undefined) continue;
      try {
        problems.push(...section.restore(data, nowMs));
      } catch (error) {
        if (!(error instanceof SnapshotFormatError)) throw error;
        problems.push({ reason: 'corrupt', detail: `section ${name}: ${error.message}` });
      }
    }
    return problems;
  }
}
