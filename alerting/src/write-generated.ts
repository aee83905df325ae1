import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from './generated-file';

/**
 * Directories the generator owns outright: a file there that it no longer generates is
 * stale (a renamed rule group, say) and is removed on write and reported on check.
 */
export const OWNED_DIRECTORIES = [
  'prometheus/rules',
  'prometheus/tests',
  'alerting/templates',
  'dashboards/generated',
] as const;

export function writeGenerated(outDir: string, files: readonly GeneratedFile[]): { written: number; removed: number } {
  let written = 0;
  for (const file of files) {
    const target = path.join(outDir, file.path);
    if (existsSync(target) && readFileSync(target, 'utf8') === file.content) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    written++;
  }
  const orphans = orphanedFiles(outDir, files);
  for (const orphan of orphans) rmSync(path.join(outDir, orphan));
  return { written, removed: orphans.length };
}

/** Paths (relative to `outDir`) that are missing, differ, or are no longer generated. */
export function checkGenerated(outDir: string, files: readonly GeneratedFile[]): string[] {
  const stale: string[] = [];
  for (const file of files) {
    const target = path.join(outDir, file.path);
    if (!existsSync(target)) stale.push(`${file.path} (missing)`);
    else if (readFileSync(target, 'utf8') !== file.content) stale.push(`${file.path} (differs)`);
  }
  for (const orphan of orphanedFiles(outDir, files)) stale.push(`${orphan} (no longer generated)`);
  return stale;
}

function orphanedFiles(outDir: string, files: readonly GeneratedFile[]): string[] {
  const generated = new Set(files.map((f) => f.path));
  return OWNED_DIRECTORIES.flatMap((dir) => {
    const absolute = path.join(outDir, dir);
    if (!existsSync(absolute)) return [];
    return readdirSync(absolute)
      .map((name) => `${dir}/${name}`)
      .filter((relative) => !generated.has(relative));
  }).sort();
}
