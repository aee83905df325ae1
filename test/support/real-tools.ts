import { execFileSync } from 'node:child_process';

/** Debian's names for the real Prometheus and Alertmanager binaries the tests run. */
export const TOOLS = {
  prometheus: 'prometheus',
  promtool: 'promtool',
  alertmanager: 'prometheus-alertmanager',
  amtool: 'amtool',
  /** 1.29 in Debian; the compose file is validated with it (there is no Docker engine to run it). */
  dockerCompose: 'docker-compose',
  /** The shared label join store of several replicas. */
  redis: 'redis-server',
} as const;

/** The Debian package that provides each binary, for the install hint. */
const PACKAGES: Record<string, string> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
  'docker-compose': 'docker-compose',
  'redis-server': 'redis-server',
};

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for tests that need real binaries. When one is missing the suite still runs
 * and fails with a test that names it under CI=true; elsewhere it is skipped with a loud
 * warning, so a developer without the packages can run the rest.
 */
export function describeWithTools(binaries: readonly string[], name: string, body: () => void): void {
  const missing = binaries.filter((binary) => !onPath(binary));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const install = `apt-get install -y ${[...new Set(missing.map((binary) => PACKAGES[binary] ?? binary))].join(' ')}`;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    describe(name, () => {
      test(`needs ${missing.join(', ')} on PATH`, () => {
        throw new Error(`missing binaries: ${missing.join(', ')} (CI=true never skips; ${install})`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": missing ${missing.join(', ')} (${install}); under CI=true this fails`);
  describe.skip(name, body);
}
