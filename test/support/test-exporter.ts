import pino from 'pino';
import { loadSpec } from '../../spec/src/load-spec';
import { buildExporter, type BuiltExporter } from '../../exporter/src/runtime/build-exporter';
import path from 'node:path';
import { loadProfile } from '../../drift/src/profile/profile-file';
import type { RunbookPages } from '../../exporter/src/runbooks/runbook-pages';
import { REPO_ROOT, writeDemoSpec } from './demo-spec';

/** An in-process exporter on a temp copy of the demo spec; `random` fixes the traffic split and sampling. */
export function buildTestExporter(
  options: {
    edit?: Parameters<typeof writeDemoSpec>[0];
    random?: () => number;
    withoutProfile?: boolean;
    /** Drops the demo profile's calibration map, so expected rows are the raw confidences sent. */
    uncalibrated?: boolean;
    /** The environment `auth.*.token_env` is read from; empty by default, so no token leaks in from the shell. */
    env?: NodeJS.ProcessEnv;
    /** The runbook pages to serve at `/runbooks`; none by default. */
    runbooks?: RunbookPages;
  } = {},
): BuiltExporter & { specFile: string; dir: string } {
  const { file, dir } = writeDemoSpec(options.edit);
  const loaded = loadSpec(file);
  // The committed demo profile is what the exporter would build from the reference CSV at start.
  const profile = loadProfile(path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json'));
  if (options.uncalibrated === true) delete profile.calibration;
  const profiles = options.withoutProfile === true ? new Map() : new Map([['fraud', profile]]);
  const built = buildExporter(loaded, {
    logger: pino({ level: 'silent' }),
    profiles,
    env: options.env ?? {},
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.runbooks === undefined ? {} : { runbooks: options.runbooks }),
  });
  built.deps.readiness.ready = true;
  return { ...built, specFile: file, dir };
}
