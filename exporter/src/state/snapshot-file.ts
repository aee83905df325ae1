/**
 * Snapshot files on disk: written atomically (a temporary file in the same directory, fsync,
 * rename over the old one, fsync of the directory), so a crash at any moment leaves either
 * the previous snapshot or the new one, never half of one.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SnapshotDocument } from './snapshot-document';
import type { RestoreProblem } from './state-section';

/** Writes `document` to `file` atomically, creating the directory; throws naming the file. */
export async function writeSnapshotFile(file: string, document: SnapshotDocument): Promise<void> {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(document));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    await syncDirectory(dir);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(`cannot write the state snapshot ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** What reading a snapshot file gave: nothing (no file yet), the parsed JSON, or why not. */
export type SnapshotRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'parsed'; readonly document: unknown }
  | { readonly kind: 'failed'; readonly problem: RestoreProblem };

/** Reads and parses a snapshot file; never throws. A missing file is the first start, not a failure. */
export async function readSnapshotFile(file: string): Promise<SnapshotRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'failed', problem: { reason: 'unreadable', detail: `${file}: ${(error as Error).message}` } };
  }
  try {
    return { kind: 'parsed', document: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'failed', problem: { reason: 'corrupt', detail: `${file}: ${(error as Error).message}` } };
  }
}

/** Makes the rename durable; some filesystems cannot open a directory, and the rename is then as durable as it gets. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (e.g. some network filesystems): nothing more to do.
  } finally {
    await handle?.close();
  }
}
