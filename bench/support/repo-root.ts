import { existsSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './setup-error';

/** The package root: the first ancestor of a start directory with both package.json and mlwatch.yaml. */
export function findRepoRoot(starts: readonly string[]): string {
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'mlwatch.yaml'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new SetupError(`no package root with mlwatch.yaml above ${starts.join(' or ')}`);
}
