import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The mlwatch package directory (where package.json, bin/mlwatch.js and mlwatch.yaml live), found
 * by walking up from `from`: compiled code runs from dist/cli/src, the tests and benches from the
 * sources. The one way the repository root is found, by the CLI, the demo trainer, tests and benches.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (isMlwatchPackage(dir)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the mlwatch package above ${from}`);
  }
}

function isMlwatchPackage(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mlwatch';
}

/** Command line that runs the mlwatch CLI in a child process: this Node.js and the package's bin script. */
export function mlwatchCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(packageRoot(), 'bin', 'mlwatch.js')] };
}

/** alerting/runbooks.md in the package, which the exporter serves at `/runbooks`: in the repository, the Docker image and a packed install. */
export function runbooksFile(): string {
  return path.join(packageRoot(), 'alerting', 'runbooks.md');
}
