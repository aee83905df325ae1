import { close, fstat, mkdir, mkdirSync, open, openSync, stat, write, type Stats } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PredictionLogDropReason } from '../../../spec/src/conventions';
import type { LogReport, LogTarget } from './log-target';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fstatAsync = promisify(fstat);
const statAsync = promisify(stat);
const mkdirAsync = promisify(mkdir);

/**
 * Error codes that mean the file's path is gone or unusable, rather than that writing failed
 * (EEXIST comes from creating the directory where a file stands; opening never gives it).
 */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EEXIST']);

/**
 * The prediction log file, appended to. Before every block it checks that its descriptor
 * is still the file at its path: a file deleted under it (no links left) is recreated and
 * the lines written to it since the last check are counted as lost (`file_missing`); a file
 * renamed away (logrotate) is left with what it holds and the path opened afresh. A path that
 * cannot be opened is retried at every block, and each block's lines are counted as lost.
 */
export class FileTarget implements LogTarget {
  readonly destination = 'file';
  private fd: number | null = null;
  private reopenRequested = false;
  /** Lines written since the descriptor was last found to be the file at the path. */
  private unconfirmedLines = 0;

  /** Opens the file now, so a bad path is reported at start-up; the log runs on either way. */
  constructor(
    private readonly file: string,
    private readonly report: LogReport,
  ) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.fd = openSync(file, 'a');
    } catch (error) {
      report.error?.(error as Error);
    }
  }

  /** Makes the next block reopen the path (SIGUSR2, logrotate's postrotate). */
  requestReopen(): void {
    this.reopenRequested = true;
  }

  async write(block: string, lines: number): Promise<void> {
    const fd = await this.currentFd();
    let data = Buffer.from(block);
    while (data.length > 0) {
      const written = await writeAsync(fd, data);
      data = data.subarray(written);
    }
    this.unconfirmedLines += lines;
  }

  reasonFor(error: Error): PredictionLogDropReason {
    return MISSING.has((error as NodeJS.ErrnoException).code ?? '') ? 'file_missing' : 'write_error';
  }

  async close(): Promise<void> {
    const { fd } = this;
    this.fd = null;
    if (fd !== null) await closeAsync(fd).catch((error: unknown) => this.report.error?.(error as Error));
  }

  /** The descriptor to write the next block to: the open one while it is still the file at the path. */
  private async currentFd(): Promise<number> {
    if (this.fd !== null && !this.reopenRequested) {
      const [open, atPath] = await Promise.all([fstatAsync(this.fd), statAsync(this.file).catch(() => null)]);
      if (open.nlink > 0 && sameFile(open, atPath)) {
        this.unconfirmedLines = 0;
        return this.fd;
      }
      // Deleted: what was written since the last check went with it. Renamed: it is in the renamed file.
      if (open.nlink === 0 && this.unconfirmedLines > 0) {
        this.report.dropped?.('file', 'file_missing', this.unconfirmedLines);
      }
    }
    this.reopenRequested = false;
    this.unconfirmedLines = 0;
    await this.close();
    await mkdirAsync(path.dirname(this.file), { recursive: true });
    this.fd = await openAsync(this.file, 'a');
    return this.fd;
  }
}

function sameFile(open: Stats, atPath: Stats | null): boolean {
  return atPath !== null && atPath.ino === open.ino && atPath.dev === open.dev;
}

function writeAsync(fd: number, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, data, 0, data.length, null, (error, written) => (error === null ? resolve(written) : reject(error)));
  });
}
