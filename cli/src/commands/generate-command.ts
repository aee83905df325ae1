import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILE_NAMES, type ProfileName } from '../../../alerting/src/generation-profile';
import { generateAll } from '../generate-all';
import { checkGenerated, writeGenerated } from '../../../alerting/src/write-generated';
import { loadSpec } from '../../../spec/src/load-spec';
import { SpecError } from '../../../spec/src/spec-error';
import { UsageError, type Command } from '../command';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write the Prometheus rules, Alertmanager config, Slack templates and Grafana dashboards from the spec',
  usage: `Usage: mlwatch generate [--config mlwatch.yaml] [--profile production|fast] [--out DIR] [--check]

Writes, under DIR (default: the spec file's directory):
  prometheus/rules/*.yml, prometheus/tests/*.yml, prometheus/prometheus.yml,
  alerting/alertmanager.yml, alerting/templates/*.tmpl,
  dashboards/generated/*.json, dashboards/provisioning/**/*.yml
--profile fast compresses every window and duration 60x and scrapes every second
(end-to-end tests, the native stack). --check writes nothing and exits 1 when a
file on disk differs from what would be generated.`,
  // eslint-disable-next-line @typescript-eslint/require-await -- async keeps the Command contract: a thrown UsageError or SpecError is a rejected promise, as in every command
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string', default: 'mlwatch.yaml' },
        profile: { type: 'string', default: 'production' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
    if (!(PROFILE_NAMES as readonly string[]).includes(values.profile)) {
      throw new UsageError(
        `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(values.profile)}`,
      );
    }
    let files;
    try {
      files = generateAll(loadSpec(values.config), { profile: values.profile as ProfileName });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      console.error(error.message);
      return 1;
    }
    const outDir = path.resolve(values.out ?? path.dirname(path.resolve(values.config)));
    if (values.check) {
      const stale = checkGenerated(outDir, files);
      if (stale.length === 0) {
        console.log(`generate --check: ${files.length} generated files are up to date`);
        return 0;
      }
      console.error(
        `generate --check: ${stale.length} generated file(s) are stale; run \`npm run generate\`:\n${stale.map((s) => `  ${s}`).join('\n')}`,
      );
      return 1;
    }
    const { written, removed } = writeGenerated(outDir, files);
    console.log(
      `generate (${values.profile}): ${files.length} files in ${outDir} (${written} changed${removed > 0 ? `, ${removed} stale removed` : ''})`,
    );
    return 0;
  },
};
