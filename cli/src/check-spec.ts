import { PROFILE_NAMES } from '../../alerting/src/generation-profile';
import { checkExporterStart, type SeriesAtStart } from '../../exporter/src/runtime/start-check';
import { loadSpec, type LoadedSpec } from '../../spec/src/load-spec';
import { SpecError } from '../../spec/src/spec-error';
import { generateAll } from './generate-all';

/** What a spec is checked for: starting the exporter (`serve`), generating files (`generate`), or both. */
export const CHECK_SCOPES = ['all', 'serve', 'generate'] as const;
export type CheckScope = (typeof CHECK_SCOPES)[number];

/** Every problem found in a spec, and what a clean spec will create. */
export interface SpecCheck {
  /** One line per problem, each starting with its path in the spec; empty when the spec is good. */
  readonly problems: string[];
  /** The spec, once its schema was valid. */
  readonly loaded?: LoadedSpec;
  /** Series one exporter exposes at start; counted when serve was checked and found nothing. */
  readonly series?: SeriesAtStart;
}

/**
 * Checks a spec file for everything `serve` and `generate` check, through their own code paths:
 * the schema (every problem of the file); for serve, the start-up checks of the exporter
 * (checkExporterStart); for generate, a full in-memory generation in every profile, whose
 * SpecError lists all of its problems. Problems are collected across all of them, not the first.
 */
export async function checkSpec(
  file: string,
  scope: CheckScope,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<SpecCheck> {
  let loaded: LoadedSpec;
  try {
    loaded = loadSpec(file);
  } catch (error) {
    // The later checks need a spec that parsed; the schema's problems come all at once.
    if (error instanceof SpecError) return { problems: error.problems };
    throw error;
  }
  const problems: string[] = [];
  let series: SeriesAtStart | undefined;
  if (scope !== 'generate') {
    const start = await checkExporterStart(loaded, options.env === undefined ? {} : { env: options.env });
    problems.push(...start.problems);
    series = start.series;
  }
  if (scope !== 'serve') problems.push(...generationProblems(loaded));
  return { problems: [...new Set(problems)], loaded, ...(series === undefined ? {} : { series }) };
}

/** What `generate` refuses in any profile: the problems of the SpecError it throws, or the error itself. */
function generationProblems(loaded: LoadedSpec): string[] {
  return PROFILE_NAMES.flatMap((profile) => {
    try {
      generateAll(loaded, { profile });
      return [];
    } catch (error) {
      if (error instanceof SpecError) return error.problems;
      return [`generate --profile ${profile}: ${(error as Error).message}`];
    }
  });
}
