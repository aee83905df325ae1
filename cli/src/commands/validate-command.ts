import { parseArgs } from 'node:util';
import { CHECK_SCOPES, checkSpec, type CheckScope, type SpecCheck } from '../check-spec';
import { UsageError, type Command } from '../command';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a spec for everything serve and generate check, and print every problem',
  usage: `Usage: mlwatch validate [file] [--for all|serve|generate]

Checks a spec (default: mlwatch.yaml) for everything \`serve\` and \`generate\` check,
with their own code: the schema; for serve, the auth token files and variables, the
model artifacts, the reference samples and profiles against the spec, and the
listening address against the write tokens; for generate, a full generation in
every profile (a receiver for every routed severity, rule windows against the
scrape interval). --for limits the check to one of them (default: all).
Prints every problem in one run, each with its path, e.g.
  models[0].features[3].type: expected "numeric" | "categorical", got "nummeric"
and exits 1; a good spec exits 0 and prints how many series one exporter
exposes at start (counted on the exporter built in-process, not estimated).`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { for: { type: 'string', default: 'all' } },
      allowPositionals: true,
      strict: true,
    });
    if (!(CHECK_SCOPES as readonly string[]).includes(values.for))
      throw new UsageError(`--for: expected one of ${CHECK_SCOPES.join(', ')}, got ${JSON.stringify(values.for)}`);
    if (positionals.length > 1) throw new UsageError(`expected one spec file, got ${positionals.length}`);
    const file = positionals[0] ?? 'mlwatch.yaml';
    const scope = values.for as CheckScope;
    const check = await checkSpec(file, scope);
    if (check.problems.length > 0) {
      console.error(describeProblems(file, check.problems));
      return 1;
    }
    console.log(describeValid(file, scope, check));
    return 0;
  },
};

/** The report of a spec with problems: all of them, one per line. */
export function describeProblems(file: string, problems: readonly string[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${file} is not a valid mlwatch spec (${count}):\n${problems.map((p) => `  - ${p.replaceAll('\n', '\n    ')}`).join('\n')}`;
}

/** The report of a good spec: what was checked, and the series one exporter starts with. */
export function describeValid(file: string, scope: CheckScope, check: SpecCheck): string {
  const spec = check.loaded?.spec;
  const models = spec?.models.length ?? 0;
  const features = spec?.models.reduce((n, m) => n + m.features.length, 0) ?? 0;
  const checked = scope === 'all' ? 'serve and generate' : scope;
  const lines = [`${file}: valid for ${checked} (${models} model(s), ${features} feature(s))`];
  if (check.series !== undefined) {
    const { total, mlwatch } = check.series;
    lines.push(
      `one exporter starts with ${total} series on /metrics: ${mlwatch} mlwatch_* series from the spec, ${total - mlwatch} process and Node.js series`,
    );
  }
  return lines.join('\n');
}
