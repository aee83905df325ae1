import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The first of `names` found as an executable on PATH, as an absolute path; undefined when none is. */
export function findExecutable(
  names: readonly string[],
  searchPath: string = process.env['PATH'] ?? '',
): string | undefined {
  for (const name of names) {
    for (const dir of searchPath.split(path.delimiter)) {
      if (dir === '') continue;
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/** Names of the stack's third-party binaries: Debian's package names first, then upstream's. */
export const STACK_BINARIES = {
  prometheus: ['prometheus'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  nodeExporter: ['prometheus-node-exporter', 'node_exporter'],
  redis: ['redis-server'],
} as const;
