import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { runbookPages, type RunbookPages } from '../runbooks/runbook-pages';

/**
 * Reads and renders the runbooks file (alerting/runbooks.md, found by the CLI from the package
 * root) for `/runbooks`. A missing or unreadable file must not stop an exporter from serving
 * predictions: it is logged, and the runbook routes answer 404 saying why.
 */
export function loadRunbooks(file: string | undefined, logger: Logger): RunbookPages | undefined {
  if (file === undefined) return undefined;
  try {
    return runbookPages(readFileSync(file, 'utf8'));
  } catch (error) {
    logger.warn({ err: error, file }, 'runbooks not served: cannot read the runbooks file');
    return undefined;
  }
}
