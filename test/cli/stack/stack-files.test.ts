import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadSpec } from '../../../spec/src/load-spec';
import { SpecError } from '../../../spec/src/spec-error';
import { writeStackFiles } from '../../../cli/src/stack/stack-files';
import { FAST_DRIFT_EVALUATION_SECONDS } from '../../../cli/src/stack/stack-spec';
import { alertmanagerArgs } from '../../../cli/src/stack/part-commands';
import { REPO_ROOT } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';

const TARGETS = {
  exporters: ['127.0.0.1:4001', '127.0.0.1:4002'],
  alertmanager: '127.0.0.1:4003',
  prometheus: '127.0.0.1:4004',
};
const SINK = 'http://127.0.0.1:4005';
const LINKS = { publicUrl: 'http://127.0.0.1:4001', alertmanagerUrl: 'http://127.0.0.1:4003' };
const DEMO_SPEC = path.join(REPO_ROOT, 'mlwatch.yaml');

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function writeFor(profile: 'fast' | 'production', sourceSpec = DEMO_SPEC) {
  const dir = tempDir('mlwatch-stack-files-');
  return writeStackFiles(dir, { sourceSpec, profile, targets: TARGETS, slackSinkUrl: SINK, links: LINKS });
}

/** The spec as plain data without the fields the stack is expected to change. */
function withoutStackFields(file: string): unknown {
  const { spec } = loadSpec(file);
  const copy = objectAt(structuredClone(spec));
  for (const model of arrayAt(copy, 'models').map((m) => objectAt(m))) {
    delete model['reference'];
    for (const version of arrayAt(model, 'versions').map((v) => objectAt(v))) delete version['artifact'];
  }
  delete objectAt(copy, 'logging')['file'];
  delete objectAt(copy, 'logging')['stdout'];
  delete objectAt(copy, 'notifications', 'slack', 'critical')['webhook_file'];
  delete objectAt(copy, 'notifications', 'slack', 'warning')['webhook_file'];
  delete objectAt(copy, 'drift')['evaluation_interval_seconds'];
  delete copy['auth'];
  delete objectAt(copy, 'prometheus')['credentials_file'];
  delete objectAt(copy, 'links')['public_url'];
  delete objectAt(copy, 'links')['alertmanager_url'];
  return copy;
}

describe("the native stack's files", () => {
  test("the fast profile evaluates drift every second; the rest, alert durations included, is the user's spec", () => {
    const files = writeFor('fast');
    const stack = loadSpec(files.specFile).spec;
    expect(stack.drift.evaluation_interval_seconds).toBe(FAST_DRIFT_EVALUATION_SECONDS);
    expect(withoutStackFields(files.specFile)).toEqual(withoutStackFields(DEMO_SPEC));
  });

  test("the production profile keeps the spec's timings", () => {
    const files = writeFor('production');
    const demo = loadSpec(DEMO_SPEC).spec;
    const stack = loadSpec(files.specFile).spec;
    expect(stack.drift.evaluation_interval_seconds).toBe(demo.drift.evaluation_interval_seconds);
    expect(stack.alerts.for_seconds.exporter_down).toBe(demo.alerts.for_seconds.exporter_down);
  });

  test('paths become absolute, the prediction log moves into the stack directory and off stdout', () => {
    const files = writeFor('fast');
    const stack = loadSpec(files.specFile).spec;
    expect(stack.models[0]?.reference).toBe(path.join(REPO_ROOT, 'exporter/demo/data/reference.csv'));
    expect(stack.models[0]?.versions.map((v) => v.artifact)).toEqual([
      path.join(REPO_ROOT, 'exporter/demo/models/fraud-v1.json'),
      path.join(REPO_ROOT, 'exporter/demo/models/fraud-v2.json'),
    ]);
    expect(stack.logging.file).toBe(path.join(files.logDir, 'predictions.jsonl'));
    expect(stack.logging.stdout).toBe(false);
  });

  test('the stack runs with tokens on: a random write and read token each in a private file, the spec accepting only those and Prometheus scraping with the read one', () => {
    const files = writeFor('fast');
    const stack = loadSpec(files.specFile).spec;
    expect(stack.auth).toEqual({
      write: { token_files: [files.writeTokenFile], token_env: [] },
      read: { token_files: [files.readTokenFile], token_env: [] },
      allow_unauthenticated: false,
    });
    expect(stack.prometheus.credentials_file).toBe(files.readTokenFile);
    const write = readFileSync(files.writeTokenFile, 'utf8').trim();
    const read = readFileSync(files.readTokenFile, 'utf8').trim();
    expect(write).toMatch(/^[0-9a-f]{64}$/);
    expect(read).toMatch(/^[0-9a-f]{64}$/);
    expect(read).not.toBe(write);
    expect(readFileSync(writeFor('fast').writeTokenFile, 'utf8').trim()).not.toBe(write);
    for (const file of [files.writeTokenFile, files.readTokenFile]) expect(statSync(file).mode & 0o777).toBe(0o600);
    const prometheus = readFileSync(files.prometheusConfig, 'utf8');
    expect(prometheus).toContain(`credentials_file: ${files.readTokenFile}`);
    // The config names the file, never the token.
    expect(prometheus).not.toContain(read);
  });

  test("each Slack receiver reads its own sink path from its own private file, and Alertmanager's config names those files", () => {
    const files = writeFor('fast');
    const slack = loadSpec(files.specFile).spec.notifications?.slack;
    expect(readFileSync(slack?.critical?.webhook_file as string, 'utf8')).toBe(`${SINK}/slack/oncall`);
    expect(readFileSync(slack?.warning?.webhook_file as string, 'utf8')).toBe(`${SINK}/slack/alerts`);
    expect(statSync(slack?.critical?.webhook_file as string).mode & 0o777).toBe(0o600);
    const alertmanager = yaml.load(readFileSync(files.alertmanagerConfig, 'utf8')) as {
      receivers: { name: string; slack_configs?: { api_url_file: string }[] }[];
    };
    expect(Object.fromEntries(alertmanager.receivers.map((r) => [r.name, r.slack_configs?.[0]?.api_url_file]))).toEqual(
      {
        null: undefined,
        oncall: slack?.critical?.webhook_file,
        alerts: slack?.warning?.webhook_file,
      },
    );
  });

  test("alerts link to the stack's own exporter (runbooks) and Alertmanager (silences), unless the runbooks live elsewhere", () => {
    const files = writeFor('fast');
    const { links } = loadSpec(files.specFile).spec;
    expect([links.public_url, links.alertmanager_url, links.runbooks_url]).toEqual([
      LINKS.publicUrl,
      LINKS.alertmanagerUrl,
      undefined,
    ]);
    const rules = readFileSync(path.join(files.dir, 'prometheus', 'rules', 'mlwatch-model-alerts.yml'), 'utf8');
    expect(rules).toContain(`runbook_url: ${LINKS.publicUrl}/runbooks/MLWatchFeatureDrift`);

    const dir = tempDir('mlwatch-runbooks-elsewhere-');
    const elsewhere = path.join(dir, 'mlwatch.yaml');
    const source = yaml.load(readFileSync(DEMO_SPEC, 'utf8')) as Record<string, Record<string, unknown>>;
    source['links'] = {
      ...source['links'],
      runbooks_url: 'https://git.example.com/team/mlwatch/blob/main/alerting/runbooks.md',
    };
    for (const model of source['models'] as unknown as Record<string, unknown>[]) {
      model['reference'] = loadSpec(DEMO_SPEC).resolve(model['reference'] as string);
      for (const version of model['versions'] as Record<string, unknown>[])
        if (typeof version['artifact'] === 'string')
          version['artifact'] = loadSpec(DEMO_SPEC).resolve(version['artifact']);
    }
    writeFileSync(elsewhere, yaml.dump(source));
    expect(loadSpec(writeFor('fast', elsewhere).specFile).spec.links.runbooks_url).toBe(
      'https://git.example.com/team/mlwatch/blob/main/alerting/runbooks.md',
    );
  });

  test("regression: silence link without external URL: the native Alertmanager runs with the stack spec's links.alertmanager_url as --web.external-url", () => {
    const files = writeFor('fast');
    const { links } = loadSpec(files.specFile).spec;
    expect(alertmanagerArgs(files, 4003, links.alertmanager_url)).toContain(
      `--web.external-url=${LINKS.alertmanagerUrl}`,
    );
  });

  test("Prometheus scrapes the loopback targets on the fast profile's one-second interval", () => {
    const files = writeFor('fast');
    const prometheus = yaml.load(readFileSync(files.prometheusConfig, 'utf8')) as {
      global: { scrape_interval: string };
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
      alerting: unknown;
    };
    expect(prometheus.global.scrape_interval).toBe('1s');
    expect(prometheus.scrape_configs.map((c) => [c.job_name, c.static_configs[0]?.targets])).toEqual([
      ['mlwatch-exporter', TARGETS.exporters],
      ['prometheus', [TARGETS.prometheus]],
      ['alertmanager', [TARGETS.alertmanager]],
    ]);
    expect(prometheus.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: [TARGETS.alertmanager] }] }] });
  });

  test("a broken user spec is reported against the user's file, not the derived one", () => {
    const dir = tempDir('mlwatch-broken-');
    const broken = path.join(dir, 'mlwatch.yaml');
    writeFileSync(
      broken,
      readFileSync(DEMO_SPEC, 'utf8').replace(
        'type: numeric, description: "Payment amount',
        'type: nummeric, description: "Payment amount',
      ),
    );
    let error: unknown;
    try {
      writeFor('fast', broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toContain(broken);
    expect((error as Error).message).toContain('models[0].features[0].type');
  });
});
