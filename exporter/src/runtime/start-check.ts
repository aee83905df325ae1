import type { LoadedSpec } from '../../../spec/src/load-spec';
import { readAuthTokens } from '../auth/load-tokens';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { StateMetrics } from '../metrics/state-metrics';
import { buildExporter } from './build-exporter';
import { exposureProblem } from './exposure';
import { readPredictors } from './load-predictors';
import { readModelProfiles } from './model-profiles';
import { createOpsLogger } from './ops-logger';
import { packageVersion } from './package-version';

/** The series one exporter exposes on `/metrics` right after it starts, before any event. */
export interface SeriesAtStart {
  /** Every sample line of the exposition: mlwatch's series and the process and Node.js ones. */
  readonly total: number;
  /** The `mlwatch_*` series alone: what the spec's models, versions, features and classes create. */
  readonly mlwatch: number;
}

/** What `serve` would say about a spec before it listens. */
export interface StartCheck {
  /** One line per problem, each starting with its path in the spec; empty when serve would start. */
  readonly problems: string[];
  /** Counted on an exporter built in-process (not listening) when there was no problem. */
  readonly series?: SeriesAtStart;
}

export interface StartCheckOptions {
  /** The address serve would bind; the spec's `exporter.host` by default. */
  host?: string;
  /** Where `auth.*.token_env` variables are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs every check `startExporterServer` makes (token files and variables, model artifacts,
 * reference samples and profiles against the spec, the listening address against the write
 * tokens) with the same loaders, but collects every problem instead of stopping at the first.
 * With none, builds the exporter as serve would (no log file, no socket) and counts its series.
 */
export async function checkExporterStart(loaded: LoadedSpec, options: StartCheckOptions = {}): Promise<StartCheck> {
  const problems: string[] = [];
  const auth = readAuthTokens(loaded.spec.auth, (file) => loaded.resolve(file), options.env);
  problems.push(...auth.problems);
  const predictors = readPredictors(loaded);
  problems.push(...predictors.problems);
  const profiles = await readModelProfiles(loaded, predictors.predictors);
  problems.push(...profiles.problems.map((error) => error.message));
  const host = options.host ?? loaded.spec.exporter.host;
  const refusal = exposureProblem(host, loaded.spec, auth.tokens);
  if (refusal !== undefined) problems.push(`exporter.host: ${refusal}`);
  if (problems.length > 0) return { problems };
  try {
    return { problems, series: await seriesAtStart(loaded, profiles.profiles, options.env) };
  } catch (error) {
    return { problems: [`cannot build the exporter: ${(error as Error).message}`] };
  }
}

async function seriesAtStart(
  loaded: LoadedSpec,
  profiles: Awaited<ReturnType<typeof readModelProfiles>>['profiles'],
  env: NodeJS.ProcessEnv | undefined,
): Promise<SeriesAtStart> {
  // The prediction log is no metric: turned off, so a check writes no file.
  const quiet: LoadedSpec = {
    ...loaded,
    spec: { ...loaded.spec, logging: { ...loaded.spec.logging, file: null, stdout: false } },
  };
  // The same process-wide metrics startExporterServer registers in every generation.
  const processMetrics = [
    ...new StateMetrics().metrics(),
    ...new RuntimeMetrics(packageVersion(), Date.now()).metrics(),
  ];
  const built = buildExporter(quiet, {
    logger: createOpsLogger('silent'),
    profiles,
    processMetrics,
    logToStdout: false,
    ...(env === undefined ? {} : { env }),
  });
  try {
    return countSeries(await built.deps.metrics.registry.metrics());
  } finally {
    await built.deps.driftMonitor.stop();
    await built.deps.predictionLog.close();
    await built.deps.joins?.close();
  }
}

/** Sample lines of a Prometheus text exposition, in all and those named `mlwatch_*`. */
export function countSeries(exposition: string): SeriesAtStart {
  const samples = exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return { total: samples.length, mlwatch: samples.filter((line) => line.startsWith('mlwatch_')).length };
}
