/**
 * Snapshot files on disk: written atomically (a temporary file in the same directory, fsync,
 * rename over the old one, fsync of the directory), so a crash at any moment leaves either
 * the previous snapshot or the new one, never half of one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
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
      await writeJson(handle, document);
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

/** Characters of a string above which it is written in slices, and the size of a slice. */
const SLICE_CHARS = 1 << 20;

/**
 * Writes `value` as JSON, the same text JSON.stringify gives, without turning it into one string
 * first: a snapshot of 1,000,000 recent ids holds 57 MiB of base64 columns, and stringifying them
 * in one go held the event loop for about 0.7 s. Every string longer than SLICE_CHARS is taken out
 * (a placeholder holding a nonce of this write takes its place), then written a slice at a time,
 * each awaited, so requests run between the slices.
 */
async function writeJson(handle: FileHandle, value: unknown): Promise<void> {
  const large: string[] = [];
  const nonce = randomUUID();
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'string' || item.length <= SLICE_CHARS) return item;
    large.push(item);
    return `${nonce}:${large.length - 1}`;
  });
  if (large.length === 0) {
    await handle.writeFile(text);
    return;
  }
  // Split at each placeholder's quoted form; the odd parts are the indexes of the strings taken out.
  const parts = text.split(new RegExp(`"${nonce}:(\\d+)"`));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 0) {
      await handle.write(part);
      continue;
    }
    const item = large[Number(part)] as string;
    await handle.write('"');
    // Each slice escaped on its own: a surrogate pair cut in two is escaped as two lone halves, which parse back as the pair.
    for (let at = 0; at < item.length; at += SLICE_CHARS)
      await handle.write(JSON.stringify(item.slice(at, at + SLICE_CHARS)).slice(1, -1));
    await handle.write('"');
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
