import path from 'node:path';
import { SIMULATION_DEFAULTS } from '../simulator/simulation-options';
import { isProgressLine, phaseOfLine } from '../simulator/simulation-report';
import { mlwatchCommand } from '../package-root';
import { simulatorArgs, type SimulatorLabels, type SimulatorOutcomes } from './part-commands';
import type { LabelPlan } from './stack-labels';
import type { OutcomePlan } from './stack-outcomes';
import type { StackFiles } from './stack-files';
import { SupervisedProcess, describeExit } from './supervised-process';

/** Scenario traffic for the stack: which scenario, how long one run lasts, and the rate per exporter replica. */
export interface TrafficPlan {
  readonly scenario: string;
  readonly durationSeconds: number;
  /** Events per second to each replica in order; replicas past the end of the list get its last rate. */
  readonly rates: readonly number[];
  /** Label timing; by default derived from the spec's `quality` section and the profile (see stack-labels). */
  readonly labels?: LabelPlan;
  /** Outcome timing; by default derived from the spec's `outcomes` section and the profile (see stack-outcomes). */
  readonly outcomes?: OutcomePlan;
  /**
   * Traffic of every model after the spec's first, which `scenario` and `rates` drive: by default
   * the same scenario at a tenth of the rate (at least 1 event/s), so no model of the spec sits
   * idle (its no-predictions alert would fire).
   */
  readonly others?: { readonly scenario?: string; readonly rate?: number };
}

export interface SimulatorLoopOptions {
  readonly name: string;
  readonly files: StackFiles;
  readonly target: string;
  readonly scenario: string;
  readonly durationSeconds: number;
  readonly rate: number;
  /** Label options of every run; none leaves the simulator's defaults. */
  readonly labels?: SimulatorLabels;
  /** Outcome options of every run; none leaves the simulator's defaults. */
  readonly outcomes?: SimulatorOutcomes;
  /** The model to drive; the spec's first when absent. */
  readonly model?: string;
  /** Seed of the first run; each further run takes the next `seedStride`-th, so replicas never share a seed. */
  readonly seed: number;
  readonly seedStride: number;
  /** Called when a run fails (exit code not 0): the traffic is broken, not finished. */
  readonly onFailure: (message: string) => void;
  /** Called when a run enters a scenario phase: "simulator-0: run 2 of scenario drift, phase recovery". */
  readonly onPhase?: (message: string) => void;
}

/**
 * One replica's traffic: `mlwatch simulate` runs the scenario again and again, as compose's
 * restart policy does, until stopped; every run is a fresh child process with its own seed.
 */
export class SimulatorLoop {
  /** When the first run started sending (Unix ms), from its first progress line. */
  readonly firstRunStartedAtMs: Promise<number>;
  /** Resolves when the first run has ended. */
  readonly firstRunDone: Promise<void>;
  private current: SupervisedProcess | undefined;
  private stopped = false;
  private runs = 0;
  private markStarted: (ms: number) => void = () => undefined;
  private markFirstDone: () => void = () => undefined;

  constructor(private readonly options: SimulatorLoopOptions) {
    this.firstRunStartedAtMs = new Promise((resolve) => (this.markStarted = resolve));
    this.firstRunDone = new Promise((resolve) => (this.markFirstDone = resolve));
    this.startRun();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.current?.stop();
  }

  private startRun(): void {
    const { files, target, scenario, durationSeconds, rate } = this.options;
    const seed = this.options.seed + this.runs * this.options.seedStride;
    const first = this.runs === 0;
    this.runs++;
    const runNumber = this.runs;
    const cli = mlwatchCommand();
    let sawProgress = false;
    const run = new SupervisedProcess({
      name: this.options.name,
      command: cli.command,
      args: [
        ...cli.args,
        ...simulatorArgs(files, target, {
          scenario,
          durationSeconds,
          rate,
          seed,
          ...(this.options.labels === undefined ? {} : { labels: this.options.labels }),
          ...(this.options.outcomes === undefined ? {} : { outcomes: this.options.outcomes }),
          ...(this.options.model === undefined ? {} : { model: this.options.model }),
        }),
      ],
      logFile: path.join(files.logDir, `${this.options.name}.log`),
      onLine: (line) => {
        const phase = phaseOfLine(line);
        if (phase !== undefined)
          this.options.onPhase?.(`${this.options.name}: run ${runNumber} of scenario ${scenario}, phase ${phase}`);
        if (!first || sawProgress || !isProgressLine(line)) return;
        sawProgress = true;
        // Progress lines come every progress interval from the run's start, so the first one dates the start.
        this.markStarted(Date.now() - SIMULATION_DEFAULTS.progressIntervalMs);
      },
    });
    this.current = run;
    void run.exited.then((exit) => {
      if (first) {
        // A run shorter than one progress interval never dates its start.
        if (!sawProgress) this.markStarted(Number.NaN);
        this.markFirstDone();
      }
      if (this.stopped) return;
      if (exit.code === 0) {
        this.startRun();
        return;
      }
      this.options.onFailure(
        `${this.options.name} (scenario ${scenario}) failed with ${describeExit(exit)}; its log:\n${run.logTail()}`,
      );
    });
  }
}
