import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCommand } from '../../../cli/src/commands/generate-command';
import { validateCommand } from '../../../cli/src/commands/validate-command';
import { checkSpec } from '../../../cli/src/check-spec';
import { createOpsLogger } from '../../../exporter/src/runtime/ops-logger';
import { startExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { countSeries } from '../../../exporter/src/runtime/start-check';
import { REPO_ROOT, writeDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { arrayAt, objectAt, type Doc } from '../../support/document';

/** A spec that `serve` or `generate` refuses, and the text of the problem each names. */
interface BadSpec {
  readonly name: string;
  readonly edit: (spec: Doc) => void;
  /** Files written beside the spec (paths relative to it). */
  readonly files?: Record<string, string>;
  readonly rejectedBy: readonly ('serve' | 'generate')[];
  /** What serve, generate and validate all say about it. */
  readonly problem: string;
}

const DEMO_PROFILE = path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json');
const SHORT_TOKEN = 'short\n';

const BAD_SPECS: readonly BadSpec[] = [
  {
    name: 'a misspelt feature type',
    edit: (s) => (objectAt(s, 'models', 0, 'features', 3)['type'] = 'nummeric'),
    rejectedBy: ['serve', 'generate'],
    problem: 'models[0].features[3].type: expected "numeric" | "categorical", got "nummeric"',
  },
  {
    name: 'a sample drift test on a categorical feature',
    edit: (s) => (objectAt(s, 'models', 0, 'features', 7)['drift_test'] = 'ks'),
    rejectedBy: ['serve', 'generate'],
    problem: 'models[0].features[7].drift_test: drift_test "ks" needs a numeric feature',
  },
  {
    name: 'version weights that do not sum to 1',
    edit: (s) => (objectAt(s, 'models', 0, 'versions', 0)['weight'] = 0.5),
    rejectedBy: ['serve', 'generate'],
    problem: 'models[0].versions: weights must sum to 1, got 0.6',
  },
  {
    name: 'a reference sample that cannot be read',
    edit: (s) => (objectAt(s, 'models', 0)['reference'] = 'missing.csv'),
    rejectedBy: ['serve'],
    problem: 'models[0].reference: cannot read',
  },
  {
    name: 'a reference that is neither a profile nor a sample',
    edit: (s) => (objectAt(s, 'models', 0)['reference'] = 'reference.parquet'),
    rejectedBy: ['serve'],
    problem:
      'models[0].reference: expected a .json profile or a .csv, .jsonl or .ndjson sample, got "reference.parquet"',
  },
  {
    name: 'a reference profile that does not match the spec',
    edit: (s) => {
      objectAt(s, 'models', 0)['reference'] = 'fraud.profile.json';
      arrayAt(s, 'models', 0, 'features')[0] = { name: 'amount', type: 'categorical', categories: ['small', 'large'] };
    },
    files: { 'fraud.profile.json': readFileSync(DEMO_PROFILE, 'utf8') },
    rejectedBy: ['serve'],
    problem: 'feature "amount" is numeric in the profile but categorical in the spec',
  },
  {
    name: 'a model artifact that cannot be read',
    edit: (s) => (objectAt(s, 'models', 0, 'versions', 1)['artifact'] = 'missing-v2.json'),
    rejectedBy: ['serve'],
    problem: 'models[0].versions[1].artifact:',
  },
  {
    name: 'a model artifact that is not JSON',
    edit: (s) => (objectAt(s, 'models', 0, 'versions', 0)['artifact'] = 'broken.json'),
    files: { 'broken.json': '{ not json' },
    rejectedBy: ['serve'],
    problem: 'not valid JSON',
  },
  {
    name: 'a write token file that is missing',
    edit: (s) => (objectAt(s, 'auth', 'write')['token_files'] = ['missing-token.txt']),
    rejectedBy: ['serve'],
    problem: 'auth.write.token_files[0]: cannot read the token file',
  },
  {
    name: 'a read token file holding a token too short to be safe',
    edit: (s) => (objectAt(s, 'auth', 'read')['token_files'] = ['short-token.txt']),
    files: { 'short-token.txt': SHORT_TOKEN },
    rejectedBy: ['serve'],
    problem: 'auth.read.token_files[0] (',
  },
  {
    name: 'listening beyond loopback with an open write scope',
    edit: (s) => (objectAt(s, 'exporter')['host'] = '0.0.0.0'),
    rejectedBy: ['serve'],
    problem: 'refusing to listen on 0.0.0.0',
  },
  {
    name: 'no notifications section',
    edit: (s) => delete s['notifications'],
    rejectedBy: ['generate'],
    problem:
      'notifications: required: alerts of severity critical are routed, and none of notifications.slack.critical',
  },
  {
    name: 'no receiver for warnings',
    edit: (s) => delete objectAt(s, 'notifications', 'slack')['warning'],
    rejectedBy: ['generate'],
    problem: 'notifications: required: alerts of severity warning are routed, and none of notifications.slack.warning',
  },
  {
    name: 'one webhook file for both receivers',
    edit: (s) =>
      (objectAt(s, 'notifications', 'slack', 'warning')['webhook_file'] = '/run/secrets/slack_oncall_webhook'),
    rejectedBy: ['generate'],
    problem: 'notifications.slack.warning.webhook_file: same file as notifications.slack.critical',
  },
  {
    name: 'an e-mail receiver with a user name and no password file',
    edit: (s) =>
      (objectAt(s, 'notifications')['email'] = {
        smarthost: 'smtp.example.com:587',
        from: 'mlwatch@example.com',
        auth_username: 'mlwatch',
        critical: { to: 'oncall@example.com' },
      }),
    rejectedBy: ['serve', 'generate'],
    problem: 'notifications.email.auth_password_file: required: auth_username and auth_password_file go together',
  },
  {
    name: 'warnings routed only to a PagerDuty receiver, criticals to nobody',
    edit: (s) =>
      (s['notifications'] = { pagerduty: { warning: { routing_key_file: '/run/secrets/pagerduty_routing_key' } } }),
    rejectedBy: ['generate'],
    problem:
      'notifications: required: alerts of severity critical are routed, and none of notifications.slack.critical',
  },
  {
    name: 'a scrape interval longer than half the shortest rate window',
    edit: (s) => (objectAt(s, 'prometheus')['scrape_interval_seconds'] = 200),
    rejectedBy: ['generate'],
    problem: 'prometheus.scrape_interval_seconds: the 5m rate window lasts 5m in the production profile',
  },
  {
    name: 'a fleet window too short for the fast profile only',
    edit: (s) => (objectAt(s, 'drift')['fleet_window_seconds'] = 60),
    rejectedBy: ['generate'],
    problem: 'drift.fleet_window_seconds: drift.fleet_window_seconds (60) lasts 1s in the fast profile',
  },
];

/** Runs a command in-process with console output captured. */
async function runCaptured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => out.push(args.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => err.push(args.join(' ')));
  try {
    return { code: await run(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** What `mlwatch serve` says about a spec: its start-up error, or undefined when it started. */
async function serveError(file: string): Promise<string | undefined> {
  try {
    const server = await startExporterServer({ specFile: file, port: 0, logger: createOpsLogger('silent') });
    await server.shutdown();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** What `mlwatch generate` prints to stderr in each profile, for the profiles that refused the spec. */
async function generateErrors(file: string): Promise<string[]> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-generate-'));
  const errors: string[] = [];
  for (const profile of ['production', 'fast']) {
    const result = await runCaptured(() => generateCommand.run(['--config', file, '--profile', profile, '--out', out]));
    if (result.code !== 0) errors.push(result.err);
  }
  return errors;
}

function writeBadSpec(bad: BadSpec): string {
  const { file, dir } = writeDemoSpec(bad.edit);
  for (const [name, content] of Object.entries(bad.files ?? {})) writeFileSync(path.join(dir, name), content);
  return file;
}

describe('mlwatch validate rejects every spec that serve or generate rejects', () => {
  test.each(BAD_SPECS)('$name', async (bad) => {
    const file = writeBadSpec(bad);
    const served = await serveError(file);
    if (bad.rejectedBy.includes('serve')) expect(served).toContain(bad.problem);
    else expect(served).toBeUndefined();
    const generated = await generateErrors(file);
    if (bad.rejectedBy.includes('generate')) expect(generated.join('\n')).toContain(bad.problem);
    else expect(generated).toEqual([]);

    const validated = await runCaptured(() => validateCommand.run([file]));
    expect(validated.code).toBe(1);
    expect(validated.err).toContain(bad.problem);
    expect(validated.out).toBe('');
  });

  test('regression: validate said valid for a spec serve rejects (a reference that cannot be read)', async () => {
    const file = writeBadSpec(
      defined(
        BAD_SPECS.find((b) => b.name.startsWith('a reference sample')),
        'the case',
      ),
    );
    const validated = await runCaptured(() => validateCommand.run([file]));
    expect(validated.out).not.toContain('valid');
    expect(validated.code).toBe(1);
    expect(validated.err).toContain('models[0].reference: cannot read');
  });

  test('regression: validate reported only the first error; now every problem of serve and generate in one run', async () => {
    const combined = [
      'a reference sample that cannot be read',
      'a model artifact that cannot be read',
      'a write token file that is missing',
      'a read token file holding a token too short to be safe',
      'listening beyond loopback with an open write scope',
      'no receiver for warnings',
      'a scrape interval longer than half the shortest rate window',
    ].map((name) =>
      defined(
        BAD_SPECS.find((bad) => bad.name === name),
        name,
      ),
    );
    const file = writeBadSpec({
      name: 'all of them',
      edit: (spec) => combined.forEach((bad) => bad.edit(spec)),
      files: Object.assign({}, ...combined.map((bad) => bad.files ?? {})) as Record<string, string>,
      rejectedBy: ['serve', 'generate'],
      problem: '',
    });
    const validated = await runCaptured(() => validateCommand.run([file]));
    expect(validated.code).toBe(1);
    for (const bad of combined) expect(validated.err).toContain(bad.problem);
    expect(validated.err).toContain(`(${combined.length} problems):`);
  });
});

describe('mlwatch validate on a good spec', () => {
  test('counts the series one exporter exposes at start exactly: the mlwatch_* lines of a started exporter', async () => {
    const { file } = writeDemoSpec();
    const check = await checkSpec(file, 'all');
    expect(check.problems).toEqual([]);
    const series = defined(check.series, 'the series count');
    const server = await startExporterServer({ specFile: file, port: 0, logger: createOpsLogger('silent') });
    try {
      const body = await (await fetch(`${server.url}/metrics`)).text();
      expect(series.mlwatch).toBe(countSeries(body).mlwatch);
      expect(series.mlwatch).toBeGreaterThan(100);
      expect(series.total).toBeGreaterThan(series.mlwatch);
    } finally {
      await server.shutdown();
    }
    const validated = await runCaptured(() => validateCommand.run([file]));
    expect(validated.code).toBe(0);
    expect(validated.out).toContain(
      `one exporter starts with ${series.total} series on /metrics: ${series.mlwatch} mlwatch_*`,
    );
  });

  test('--for serve skips generation: a spec without notifications is fine for serve alone', async () => {
    const { file } = writeDemoSpec((s) => delete s['notifications']);
    const serve = await runCaptured(() => validateCommand.run([file, '--for', 'serve']));
    expect(serve.code).toBe(0);
    expect(serve.out).toContain('valid for serve');
    const all = await runCaptured(() => validateCommand.run([file]));
    expect(all.code).toBe(1);
    expect(all.err).toContain('notifications: required: alerts of severity critical are routed');
  });
});
