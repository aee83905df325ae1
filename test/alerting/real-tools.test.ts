import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { RECEIVERS, ROUTED_SEVERITIES } from '../../alerting/src/alertmanager/alertmanager-config';
import { EMAIL_TEMPLATES } from '../../alerting/src/alertmanager/email-templates';
import { LINK_TEMPLATES } from '../../alerting/src/alertmanager/link-templates';
import { SLACK_TEMPLATES } from '../../alerting/src/alertmanager/slack-templates';
import { generateAlerting } from '../../alerting/src/generate-alerting';
import type { ProfileName } from '../../alerting/src/generation-profile';
import { writeGenerated } from '../../alerting/src/write-generated';
import { loadSpec } from '../../spec/src/load-spec';
import { ALERTS } from '../../spec/src/conventions';
import { REPO_ROOT, writeDemoSpec } from '../support/demo-spec';
import { defined } from '../support/defined';
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
    const file = testFiles(dir).find((f) => f.endsWith('rules-every-4m.test.yml')) as string;
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
    const file = testFiles(dir).find((f) => f.endsWith('rules-every-1m.test.yml')) as string;
    const result = run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file));
    expect(result.status).not.toBe(0);
    for (const alert of [ALERTS.availabilityBudgetBurn, ALERTS.latencyBudgetBurn]) {
      expect(result.output).toContain(`${alert}: regression: one bad event in a quiet hour stays silent`);
      expect(result.output).toContain(`${alert}: regression: a steady 20x burn below slo.min_events`);
    }
  }, 120_000);
});

/** Every receiver kind for both routed severities, each secret in a file of its own. */
function allReceiversSpec(): string {
  const secrets = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-receiver-secrets-'));
  const secret = (name: string) => path.join(secrets, name);
  const { file } = writeDemoSpec((spec) => {
    spec['notifications'] = {
      slack: {
        critical: { channel: '#oncall', webhook_file: secret('slack_oncall') },
        warning: { channel: '#alerts', webhook_file: secret('slack_alerts') },
      },
      email: {
        smarthost: 'smtp.example.com:587',
        from: 'mlwatch@example.com',
        auth_username: 'mlwatch@example.com',
        auth_password_file: secret('smtp_password'),
        critical: { to: 'oncall@example.com' },
        warning: { to: 'team@example.com, ml@example.com' },
      },
      pagerduty: {
        critical: { routing_key_file: secret('pagerduty_critical') },
        warning: { routing_key_file: secret('pagerduty_warning') },
      },
      webhook: {
        critical: { url: 'https://hooks.example.com/mlwatch/critical', credentials_file: secret('webhook_token') },
        warning: { url: 'https://hooks.example.com/mlwatch/warning' },
      },
    };
  });
  for (const name of ['slack_oncall', 'slack_alerts'])
    writeFileSync(secret(name), 'https://hooks.slack.com/services/T0/B0/x');
  for (const name of ['smtp_password', 'pagerduty_critical', 'pagerduty_warning', 'webhook_token'])
    writeFileSync(secret(name), 'secret');
  return file;
}

describe.each([
  ['the demo spec (Slack)', () => path.join(REPO_ROOT, 'mlwatch.yaml')],
  ['a spec with Slack, e-mail, PagerDuty and a webhook', allReceiversSpec],
])('amtool (Alertmanager 0.25 from Debian), %s', (_, specFile) => {
  describeWithTools([TOOLS.amtool], 'generated Alertmanager config', () => {
    const loaded = loadSpec(specFile());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-alertmanager-'));
    writeGenerated(dir, generateAlerting(loaded, { profile: 'production' }));
    const config = path.join(dir, 'alerting', 'alertmanager.yml');
    const templates = path.join(dir, 'alerting', 'templates', '*.tmpl');
    const parsed = yaml.load(readFileSync(config, 'utf8')) as {
      receivers: ({ name: string } & Record<string, Record<string, unknown>[] | undefined>)[];
    };
    const receiver = (name: string) =>
      defined(
        parsed.receivers.find((r) => r.name === name),
        `receiver ${name}`,
      );

    test('check-config accepts it', () => {
      const result = run(TOOLS.amtool, ['check-config', config]);
      expect(result.output).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
    });

    test('each routed severity has a receiver with every integration the spec configures for it', () => {
      const { notifications } = loaded.spec;
      for (const severity of ROUTED_SEVERITIES) {
        const expected = [
          notifications?.slack?.[severity] && 'slack_configs',
          notifications?.email?.[severity] && 'email_configs',
          notifications?.pagerduty?.[severity] && 'pagerduty_configs',
          notifications?.webhook?.[severity] && 'webhook_configs',
        ].filter((kind) => typeof kind === 'string');
        expect(Object.keys(receiver(RECEIVERS[severity])).filter((k) => k !== 'name')).toEqual(expected);
      }
    });

    test.each([
      [{ severity: 'critical', alertname: ALERTS.datasetDrift, model: 'fraud' }, RECEIVERS.critical],
      [{ severity: 'warning', alertname: ALERTS.featureDrift, model: 'fraud' }, RECEIVERS.warning],
      [{ severity: 'info', alertname: ALERTS.confidenceDrift, model: 'fraud' }, RECEIVERS.none],
      [{ severity: 'info', alertname: ALERTS.watchdog }, RECEIVERS.none],
    ])('routes %p to %s', (labels, to) => {
      const args = [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        `--verify.receivers=${to}`,
        ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
      ];
      const result = run(TOOLS.amtool, args);
      expect(result.stdout.trim()).toBe(to);
      expect(result.status).toBe(0);
    });

    const renderText = (data: unknown, text: string) => {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-am-data-')), 'data.json');
      writeFileSync(file, JSON.stringify(data));
      return run(TOOLS.amtool, [
        'template',
        'render',
        `--template.glob=${templates}`,
        `--template.data=${file}`,
        `--template.text=${text}`,
      ]);
    };
    const render = (data: unknown, template: string) => renderText(data, `{{ template "${template}" . }}`);

    test('every template the config references is defined and renders', () => {
      const used = new Set(
        [...readFileSync(config, 'utf8').matchAll(/template \\?"([^"\\]+)\\?"/g)].map((m) => m[1] as string),
      );
      const kinds = Object.keys(receiver(RECEIVERS.critical));
      const expected = [
        LINK_TEMPLATES.title,
        LINK_TEMPLATES.runbookUrl,
        LINK_TEMPLATES.dashboardUrl,
        LINK_TEMPLATES.silenceUrl,
        ...Object.values(SLACK_TEMPLATES),
        ...(kinds.includes('email_configs') ? Object.values(EMAIL_TEMPLATES) : []),
      ];
      expect([...used].sort()).toEqual(expected.sort());
      for (const name of used) {
        const result = render(notification('firing', [alert('firing', 'amount')]), name);
        expect([name, result.status, result.output]).toEqual([name, 0, expect.not.stringMatching(/^\s*$/)]);
      }
    });

    test('template render fails on an undefined template, which check-config does not notice', () => {
      expect(render(notification('firing', [alert('firing', 'amount')]), 'mlwatch.slack.missing').status).not.toBe(0);
    });

    test('the Slack messages carry Runbook, Dashboard and Silence buttons linking where the alert says', () => {
      const slack = receiver(RECEIVERS.warning)['slack_configs']?.[0];
      const actions = defined(slack, 'a Slack config')['actions'] as { type: string; text: string; url: string }[];
      expect(actions.map((a) => [a.type, a.text])).toEqual([
        ['button', 'Runbook'],
        ['button', 'Dashboard'],
        ['button', 'Silence'],
      ]);
      const data = notification('firing', [alert('firing', 'amount'), alert('firing', 'hour_of_day')]);
      expect(actions.map((a) => renderText(data, a.url).output.trim())).toEqual([
        RUNBOOK,
        DASHBOARD,
        `${EXTERNAL_URL}/#/silences/new?filter=%7Balertname%3D%22MLWatchFeatureDrift%22%2C%20model%3D%22fraud%22%2C%20severity%3D%22warning%22%7D`,
      ]);
    });

    test("regression: hostname in the fallback link: the Slack fallback is the title and the runbook, never Alertmanager's own URL", () => {
      // Alertmanager's default fallback links its external URL, which is this machine's hostname when none is set.
      const hostUrl = `http://${os.hostname()}:9093`;
      for (const severity of ROUTED_SEVERITIES) {
        const slack = defined(receiver(RECEIVERS[severity])['slack_configs']?.[0], `Slack config for ${severity}`);
        const fallback = slack['fallback'];
        expect(typeof fallback).toBe('string');
        const data = { ...notification('firing', [alert('firing', 'amount')]), externalURL: hostUrl };
        const result = renderText(data, fallback as string);
        expect(result.output.trim()).toBe(`[WARNING] ${ALERTS.featureDrift} · model fraud · runbook: ${RUNBOOK}`);
        expect(result.output).not.toContain(os.hostname());
      }
    });

    test('the silence link is prefilled with the labels all alerts share, each quoted and escaped for the URL', () => {
      const odd = { ...notification('firing', [alert('firing', 'amount')]) };
      odd.commonLabels = { ...odd.commonLabels, model: 'fraud "v2" & co' };
      const url = render(odd, LINK_TEMPLATES.silenceUrl).output.trim();
      const prefix = `${EXTERNAL_URL}/#/silences/new?filter=`;
      expect(url.startsWith(prefix)).toBe(true);
      expect(url).not.toMatch(/[\s"+&]/);
      expect(decodeURIComponent(url.slice(prefix.length))).toBe(
        `{alertname="${ALERTS.featureDrift}", model="fraud \\"v2\\" & co", severity="warning"}`,
      );
    });

    test('template render: the title names severity, alert and model; a resolved notification says so, in green', () => {
      const firing = notification('firing', [alert('firing', 'amount'), alert('firing', 'hour_of_day')]);
      expect(render(firing, LINK_TEMPLATES.title).output.trim()).toBe(
        `[WARNING] ${ALERTS.featureDrift} · model fraud (2 firing)`,
      );
      const resolved = notification('resolved', [alert('resolved', 'amount')]);
      expect(render(resolved, LINK_TEMPLATES.title).output.trim()).toBe(
        `[RESOLVED] ${ALERTS.featureDrift} · model fraud`,
      );
      expect(render(resolved, SLACK_TEMPLATES.color).output.trim()).toBe('good');
      expect(render(resolved, LINK_TEMPLATES.dashboardUrl).output.trim()).toBe(DASHBOARD);
    });

    test('template render: the Slack body has each description and value, resolved alerts apart (regression: a resolved alert is named by its labels, as summaries carry none)', () => {
      const result = render(
        notification('firing', [alert('firing', 'amount'), alert('resolved', 'hour_of_day')]),
        SLACK_TEMPLATES.text,
      );
      expect(result.status).toBe(0);
      expect(result.output).toContain(`${description('amount')}\n*Value:* 0.31`);
      expect(result.output).toContain(
        '*Resolved:*\n• A feature of a model drifted. feature=hour_of_day model=fraud test=wasserstein\n',
      );
    });

    test('template render: the e-mail, as text and as escaped HTML, has the title, each alert and the three links', () => {
      const data = notification('firing', [alert('firing', 'amount <b>')]);
      const text = render(data, EMAIL_TEMPLATES.text).output;
      expect(text).toContain(`[WARNING] ${ALERTS.featureDrift} · model fraud`);
      expect(text).toContain(`- A feature of a model drifted.\n  ${description('amount <b>')}\n  Value: 0.31`);
      expect(text).toContain(
        `Runbook: ${RUNBOOK}\nDashboard: ${DASHBOARD}\nSilence: ${EXTERNAL_URL}/#/silences/new?filter=`,
      );
      // amtool renders text templates; Alertmanager renders `html` with html/template, which escapes values.
      const html = render(data, EMAIL_TEMPLATES.html).output;
      expect(html).toContain(`<a href="${RUNBOOK}">Runbook</a>`);
      expect(html).toContain(`<a href="${DASHBOARD}">Dashboard</a>`);
    });
  });
});

const RUNBOOK = 'http://localhost:9420/runbooks/MLWatchFeatureDrift';
const DASHBOARD = 'http://localhost:3000/d/mlwatch-model-drift?var-model=fraud';
const EXTERNAL_URL = 'http://alertmanager.example.com:9093';
const description = (feature: string) =>
  `The live inputs of feature ${feature} no longer match the reference of model fraud: wasserstein score 0.31.`;
const alert = (status: 'firing' | 'resolved', feature: string) => ({
  status,
  labels: { alertname: ALERTS.featureDrift, model: 'fraud', feature, test: 'wasserstein', severity: 'warning' },
  annotations: {
    summary: 'A feature of a model drifted.',
    description: description(feature),
    value: '0.31',
    runbook_url: RUNBOOK,
    dashboard_url: DASHBOARD,
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
  groupLabels: { alertname: ALERTS.featureDrift, model: 'fraud' } as Record<string, string>,
  commonLabels: { alertname: ALERTS.featureDrift, model: 'fraud', severity: 'warning' } as Record<string, string>,
  commonAnnotations: {},
  externalURL: EXTERNAL_URL,
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
