import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The version in mlwatch's package.json, found by walking up from this file (the sources run
 * from exporter/src/runtime, the build from dist/exporter/src/runtime); "unknown" when the
 * package cannot be found, which must not stop an exporter from starting.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (parsed.name === 'mlwatch' && typeof parsed.version === 'string') return parsed.version;
      } catch {
        // Not ours, or unreadable: keep walking.
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
