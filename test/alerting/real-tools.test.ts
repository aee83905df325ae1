import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RECEIVERS } from '../../alerting/src/alertmanager/alertmanager-config';
import { SLACK_TEMPLATES } from '../../alerting/src/alertmanager/slack-templates';
import { generateAlerting } from '../../alerting/src/generate-alerting';
import type { ProfileName } from '../../alerting/src/generation-profile';
import { writeGenerated } from '../../alerting/src/write-generated';
import { loadSpec } from '../../spec/src/load-spec';
import { ALERTS } from '../../spec/src/conventions';
import { REPO_ROOT } from '../support/demo-spec';
import { TOOLS, describeWithTools } from '../support/real-tools';

/** Runs a tool; returns its exit status and combined output, never throws on a non-zero exit. */
function run(binary: string, args: string[], cwd?: string): { status: number; stdout: string; output: string } {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

function generateInto(profile: ProfileName): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mlwatch-alerting-${profile}-`));
  writeGenerated(dir, generateAlerting(loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')), { profile }));
  return dir;
}

const ruleFiles = (dir: string) =>
  readdirSync(path.join(dir, 'prometheus', 'rules')).map((f) => path.join(dir, 'prometheus', 'rules', f));
const testFiles = (dir: string) =>
  readdirSync(path.join(dir, 'prometheus', 'tests')).map((f) => path.join(dir, 'prometheus', 'tests', f));

describeWithTools([TOOLS.promtool], 'promtool (Prometheus 2.42 from Debian)', () => {
  describe.each(['production', 'fast'] as const)('%s profile', (profile) => {
    const dir = generateInto(profile);

    test('check rules with every lint, lint errors fatal', () => {
      const result = run(TOOLS.promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFiles(dir)]);
      expect(result.output).not.toMatch(/FAILED|error/i);
      expect(result.status).toBe(0);
    });

    test('check config, which also loads every rule file it names and the read token file the exporter job sends', () => {
      // promtool checks that the credentials file exists: the spec names it as Prometheus sees it
      // (a compose secret), so the check runs against a copy pointing at a token file made here.
      const config = path.join(dir, 'prometheus', 'prometheus.yml');
      const credentials = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec.prometheus.credentials_file as string;
      const tokenFile = path.join(dir, 'read-token');
      writeFileSync(tokenFile, 'x'.repeat(32));
      const checked = path.join(dir, 'prometheus', 'prometheus-checked.yml');
      const text = readFileSync(config, 'utf8');
      expect(text).toContain(`credentials_file: ${credentials}`);
      writeFileSync(checked, text.replace(`credentials_file: ${credentials}`, `credentials_file: ${tokenFile}`));
      const result = run(TOOLS.promtool, ['check', 'config', checked]);
      expect(result.output).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
    });

    test.each(testFiles(dir).map((f) => [path.basename(f), f]))(
      'test rules: every alert fires above and stays silent below its threshold; fleet PSI/KS match (%s)',
      (_, file) => {
        const result = run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file));
        if (result.status !== 0) console.error(result.output);
        expect(result.status).toBe(0);
      },
      120_000,
    );
  });

  test('the rule tests can fail: a moved threshold breaks them', () => {
    const dir = generateInto('production');
    const alerts = path.join(dir, 'prometheus', 'rules', 'mlwatch-slo-alerts.yml');
    writeFileSync(alerts, readFileSync(alerts, 'utf8').replaceAll('> 6\n', '> 7\n'));
    const file = testFiles(dir).find((f) => f.includes('every-4m')) as string;
    const result = run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('page and ticket just above the 6x page');
  }, 120_000);
  test('regression: without the minimum-volume guard the low-traffic cases fail (one bad event in a quiet hour paged)', () => {
    const dir = generateInto('production');
    const alerts = path.join(dir, 'prometheus', 'rules', 'mlwatch-slo-alerts.yml');
    const guard = /\n\s*and\n\s*model:mlwatch_prediction[a-z_]*:increase\w+ >= \d+/g;
    const text = readFileSync(alerts, 'utf8');
    expect(text.match(guard)).toHaveLength(8);
    writeFileSync(alerts, text.replace(guard, ''));
    const file = testFiles(dir).find((f) => f.includes('every-1m')) as string;
    const result = run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file));
    expect(result.status).not.toBe(0);
    for (const alert of [ALERTS.availabilityBudgetBurn, ALERTS.latencyBudgetBurn]) {
      expect(result.output).toContain(`${alert}: regression: one bad event in a quiet hour stays silent`);
      expect(result.output).toContain(`${alert}: regression: a steady 20x burn below slo.min_events`);
    }
  }, 120_000);
});

describeWithTools([TOOLS.amtool], 'amtool (Alertmanager 0.25 from Debian)', () => {
  const dir = generateInto('production');
  const config = path.join(dir, 'alerting', 'alertmanager.yml');
  const templates = path.join(dir, 'alerting', 'templates', '*.tmpl');

  test('check-config accepts the generated config', () => {
    const result = run(TOOLS.amtool, ['check-config', config]);
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  test.each([
    [{ severity: 'critical', alertname: ALERTS.datasetDrift, model: 'fraud' }, RECEIVERS.critical],
    [{ severity: 'warning', alertname: ALERTS.featureDrift, model: 'fraud' }, RECEIVERS.warning],
    [{ severity: 'info', alertname: ALERTS.confidenceDrift, model: 'fraud' }, RECEIVERS.none],
    [{ severity: 'info', alertname: ALERTS.watchdog }, RECEIVERS.none],
  ])('routes %p to %s', (labels, receiver) => {
    const args = [
      'config',
      'routes',
      'test',
      `--config.file=${config}`,
      `--verify.receivers=${receiver}`,
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ];
    const result = run(TOOLS.amtool, args);
    expect(result.stdout.trim()).toBe(receiver);
    expect(result.status).toBe(0);
  });

  const render = (data: unknown, template: string) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-am-data-')), 'data.json');
    writeFileSync(file, JSON.stringify(data));
    return run(TOOLS.amtool, [
      'template',
      'render',
      `--template.glob=${templates}`,
      `--template.data=${file}`,
      `--template.text={{ template "${template}" . }}`,
    ]);
  };
  const alert = (status: 'firing' | 'resolved', feature: string) => ({
    status,
    labels: { alertname: ALERTS.featureDrift, model: 'fraud', feature, test: 'wasserstein', severity: 'warning' },
    annotations: {
      summary: `Feature ${feature} of model fraud drifted`,
      description: `The live inputs of feature ${feature} no longer match the reference of model fraud: wasserstein score 0.31.`,
      value: '0.31',
      runbook_url: 'alerting/runbooks.md#mlwatchfeaturedrift',
      dashboard_url: 'http://localhost:3000/d/mlwatch-model-drift?var-model=fraud',
    },
    startsAt: '2026-11-27T12:00:00Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-27T12:30:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: `fp-${feature}`,
  });
  const notification = (status: 'firing' | 'resolved', alerts: unknown[]) => ({
    receiver: RECEIVERS.warning,
    status,
    alerts,
    groupLabels: { alertname: ALERTS.featureDrift, model: 'fraud' },
    commonLabels: { alertname: ALERTS.featureDrift, model: 'fraud', severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
  });

  test('template render: the title names severity, alert and model', () => {
    const result = render(
      notification('firing', [alert('firing', 'amount'), alert('firing', 'hour_of_day')]),
      SLACK_TEMPLATES.title,
    );
    expect(result.status).toBe(0);
    expect(result.output.trim()).toBe(`[WARNING] ${ALERTS.featureDrift} · model fraud (2 firing)`);
  });

  test('template render: the body has each description, value and the runbook and dashboard links', () => {
    const result = render(
      notification('firing', [alert('firing', 'amount'), alert('resolved', 'hour_of_day')]),
      SLACK_TEMPLATES.text,
    );
    expect(result.status).toBe(0);
    expect(result.output).toContain(
      'The live inputs of feature amount no longer match the reference of model fraud: wasserstein score 0.31.',
    );
    expect(result.output).toContain(
      '*Value:* 0.31 · <alerting/runbooks.md#mlwatchfeaturedrift|Runbook> · <http://localhost:3000/d/mlwatch-model-drift?var-model=fraud|Dashboard>',
    );
    expect(result.output).toContain('*Resolved:*\n• Feature hour_of_day of model fraud drifted');
  });

  test('template render: a resolved notification says so, in green', () => {
    const resolved = notification('resolved', [alert('resolved', 'amount')]);
    expect(render(resolved, SLACK_TEMPLATES.title).output.trim()).toBe(
      `[RESOLVED] ${ALERTS.featureDrift} · model fraud`,
    );
    expect(render(resolved, SLACK_TEMPLATES.color).output.trim()).toBe('good');
    expect(render(resolved, SLACK_TEMPLATES.titleLink).output.trim()).toBe(
      'http://localhost:3000/d/mlwatch-model-drift?var-model=fraud',
    );
  });

  test('template render fails on an undefined template, which check-config does not notice', () => {
    expect(render(notification('firing', [alert('firing', 'amount')]), 'mlwatch.slack.missing').status).not.toBe(0);
  });

  test('every template the config references is defined', () => {
    const used = [...readFileSync(config, 'utf8').matchAll(/template \\?"([^"\\]+)\\?"/g)].map((m) => m[1] as string);
    expect([...new Set(used)].sort()).toEqual(Object.values(SLACK_TEMPLATES).sort());
    for (const name of new Set(used))
      expect(render(notification('firing', [alert('firing', 'amount')]), name).status).toBe(0);
  });
});

test('the CLI generates and checks (exit 0 up to date, 1 stale, 2 bad usage)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-generate-cli-'));
  const cli = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'mlwatch.js'),
        'generate',
        '--config',
        path.join(REPO_ROOT, 'mlwatch.yaml'),
        ...args,
      ],
      { encoding: 'utf8' },
    );
  expect(cli(['--out', dir, '--check']).status).toBe(1);
  expect(cli(['--out', dir]).status).toBe(0);
  expect(cli(['--out', dir, '--check']).status).toBe(0);
  writeFileSync(path.join(dir, 'prometheus', 'rules', 'leftover.yml'), 'groups: []\n');
  const stale = cli(['--out', dir, '--check']);
  expect(stale.status).toBe(1);
  expect(stale.stderr).toContain('prometheus/rules/leftover.yml (no longer generated)');
  expect(cli(['--profile', 'slow']).status).toBe(2);
});
