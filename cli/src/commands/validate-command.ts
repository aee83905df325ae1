import { loadSpec } from '../../../spec/src/load-spec';
import { SpecError } from '../../../spec/src/spec-error';
import type { Command } from '../command';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a spec file and print every problem',
  usage: `Usage: mlwatch validate [file]

Checks a spec (default: mlwatch.yaml) and prints each problem with its path,
e.g. models[0].features[3].type: expected "numeric" | "categorical", got "nummeric".
Exit code 0 when valid, 1 when not.`,
  // eslint-disable-next-line @typescript-eslint/require-await -- async keeps the Command contract: whatever loadSpec throws is a rejected promise, as in every command
  async run(args) {
    const file = args[0] ?? 'mlwatch.yaml';
    try {
      const { spec } = loadSpec(file);
      const features = spec.models.reduce((n, m) => n + m.features.length, 0);
      console.log(`${file}: valid (${spec.models.length} model(s), ${features} feature(s))`);
      return 0;
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      console.error(error.message);
      return 1;
    }
  },
};
