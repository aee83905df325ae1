import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The mlwatch package directory (where bin/mlwatch.js lives), found by walking up from this
 * file: compiled code runs from dist/exporter/src/stack, the tests from exporter/src/stack.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mlwatch') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the mlwatch package above ${from}`);
  }
}

/** Command line that runs the mlwatch CLI in a child process: this Node.js and the package's bin script. */
export function mlwatchCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(packageRoot(), 'bin', 'mlwatch.js')] };
}
