/**
 * Drift figure 5: the offline CLI at scale. Two generated 500,000-row CSV files of 50
 * features (40 numeric, 10 categorical; the current one shifted in a few), compared by the
 * built `mlwatch drift ref.csv cur.csv --config spec.yaml` under GNU time: wall time and
 * peak RSS of the whole command, against 30 s and 1 GiB.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { median } from '../support/median';
import { writeOfflineDriftFiles } from '../support/offline-drift-files';
import { num, row } from '../support/report';
import { SetupError } from '../support/setup-error';
import { GNU_TIME, hasGnuTime, runTimed, type TimedRun } from '../support/time-v';
import { verdictAtMost } from '../support/verdict-at-most';

/** Seconds the whole CLI run may take. */
export const OFFLINE_SECONDS_TARGET = 30;
/** Peak RSS the CLI may reach, in MiB. */
export const OFFLINE_RSS_MIB_TARGET = 1024;
const ROWS = 500_000;
const SHAPE = {
  rows: ROWS,
  numeric: 40,
  categorical: 10,
  numericShifts: [
    [0, 0.3],
    [7, 0.2],
    [21, 0.5],
  ] as const,
  categoricalShifts: [[3, 0.15]] as const,
};
const MIB = 1024 * 1024;
const SEED = 20250612;
/** `mlwatch drift` exits 1 when a feature drifted: what the shifted files should give. */
const EXIT_DRIFT = 1;

/** Medians of the CLI runs and the verdict on both targets. */
export interface DriftOfflineResult {
  wallSeconds: number;
  peakRssMiB: number;
  exitCode: number;
  pass: boolean;
}

/** Runs drift figure 5 `runs` times on files generated once in `tmpDir`; throws when the CLI fails (exit 2) or GNU time is missing. */
export async function runDriftOffline(repoRoot: string, tmpDir: string, runs: number): Promise<DriftOfflineResult> {
  if (!hasGnuTime())
    throw new SetupError(
      `${GNU_TIME} is missing (it measures the CLI's peak RSS); install it with: apt-get install -y time`,
    );
  const dir = path.join(tmpDir, 'offline');
  mkdirSync(dir, { recursive: true });
  try {
    console.log(
      `\nFigure 5 — offline CLI: mlwatch drift ref.csv cur.csv --config spec.yaml on ${num(ROWS)} rows × ${SHAPE.numeric + SHAPE.categorical} features ` +
        `(${SHAPE.numeric} numeric, ${SHAPE.categorical} categorical) per file, drift_test auto, under ${GNU_TIME} -v, ${runs} runs`,
    );
    const started = performance.now();
    const files = writeOfflineDriftFiles(dir, SHAPE, SEED);
    console.log(
      `  generated in ${num((performance.now() - started) / 1000, 1)} s: ref.csv ${num(files.bytes.reference / MIB, 0)} MiB, cur.csv ${num(files.bytes.current / MIB, 0)} MiB; ` +
        `shifted in cur.csv: ${[...files.shifts].map(([name, shift]) => `${name} (${shift})`).join(', ')}`,
    );
    const cli = path.join(repoRoot, 'bin', 'mlwatch.js');
    const timed: TimedRun[] = [];
    console.log(
      `  ${row([
        ['run', -4],
        ['wall s', 7],
        ['peak RSS MiB', 13],
        ['exit', 5],
      ])}`,
    );
    for (let run = 1; run <= runs; run++) {
      const t = await runTimed(
        process.execPath,
        [cli, 'drift', files.reference, files.current, '--config', files.spec],
        repoRoot,
      );
      if (t.exitCode !== 0 && t.exitCode !== EXIT_DRIFT)
        throw new Error(`mlwatch drift exited with ${t.exitCode}:\n${t.stderr.slice(-2000)}`);
      timed.push(t);
      console.log(
        `  ${row([
          [String(run), -4],
          [num(t.wallSeconds, 1), 7],
          [num(t.peakRssBytes / MIB, 0), 13],
          [String(t.exitCode), 5],
        ])}`,
      );
    }
    const last = timed[timed.length - 1] as TimedRun;
    const verdictLine = last.stdout.trim().split('\n').pop() ?? '';
    const drifted = last.stdout
      .split('\n')
      .filter((line) => / YES$/.test(line))
      .map((line) => line.split(/\s+/)[0]);
    console.log(`  CLI verdict: ${verdictLine}; drifted: ${drifted.join(', ') || 'none'}`);
    const wallSeconds = median(timed.map((t) => t.wallSeconds));
    const peakRssMiB = median(timed.map((t) => t.peakRssBytes)) / MIB;
    const timePass = wallSeconds <= OFFLINE_SECONDS_TARGET;
    const rssPass = peakRssMiB <= OFFLINE_RSS_MIB_TARGET;
    console.log(
      `  median: ${num(wallSeconds, 1)} s   ${verdictAtMost(`${num(wallSeconds, 1)} s`, `${OFFLINE_SECONDS_TARGET} s`, timePass)}; ` +
        `peak RSS ${num(peakRssMiB, 0)} MiB   ${verdictAtMost(`${num(peakRssMiB, 0)} MiB`, `${num(OFFLINE_RSS_MIB_TARGET)} MiB`, rssPass)}; ` +
        `exit code ${last.exitCode} (${last.exitCode === EXIT_DRIFT ? 'drift found, as expected' : 'no drift found: unexpected for shifted files'})`,
    );
    return { wallSeconds, peakRssMiB, exitCode: last.exitCode, pass: timePass && rssPass };
  } finally {
    // 400 MB of CSV should not wait for the end of the whole run.
    rmSync(dir, { recursive: true, force: true });
  }
}
