import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALERTMANAGER_CONFIG_PATH, generateAlerting } from '../../../alerting/src/generate-alerting';
import { ALERTS } from '../../../spec/src/conventions';
import { alertmanagerAlerts, type AlertmanagerAlert } from '../../support/alertmanager-api';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { eventually } from '../../support/eventually';
import { freePorts } from '../../support/free-ports';
import { TOOLS, describeWithTools } from '../../support/real-tools';

/** The generated alertmanager.yml, written where a real Alertmanager can load it. */
function generatedConfig(): string {
  const file = generateAlerting(loadEditedDemoSpec(), { profile: 'production' }).find(
    (f) => f.path === ALERTMANAGER_CONFIG_PATH,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-inhibition-'));
  const config = path.join(dir, 'alertmanager.yml');
  writeFileSync(config, defined(file, 'the generated alertmanager.yml').content);
  return config;
}

const drift = (alertname: string, labels: Record<string, string>) => ({
  labels: { alertname, model: 'fraud', severity: 'warning', ...labels },
  annotations: { summary: 'A model input feature drifted from its reference.' },
  startsAt: new Date().toISOString(),
});

describeWithTools([TOOLS.alertmanager], 'inhibition in a real Alertmanager (0.25) with the generated config', () => {
  let alertmanager: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    const [port] = await freePorts(1);
    url = `http://127.0.0.1:${defined(port, 'a free port')}`;
    alertmanager = spawn(
      TOOLS.alertmanager,
      [
        `--config.file=${generatedConfig()}`,
        `--storage.path=${mkdtempSync(path.join(os.tmpdir(), 'mlwatch-am-data-'))}`,
        `--web.listen-address=127.0.0.1:${defined(port, 'a free port')}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    await eventually(
      'Alertmanager ready',
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      20_000,
      200,
    );
  }, 30_000);

  afterAll(() => {
    alertmanager?.kill('SIGTERM');
  });

  test('regression: a feature that drifted pages once: its exact-tier alert inhibits its fleet-tier alert, and only its own', async () => {
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        drift(ALERTS.featureDrift, { feature: 'amount', test: 'wasserstein' }),
        drift(ALERTS.fleetFeatureDrift, { feature: 'amount' }),
        drift(ALERTS.fleetFeatureDrift, { feature: 'hour_of_day' }),
      ]),
    });
    expect(res.ok).toBe(true);
    const fleet = (alerts: AlertmanagerAlert[], feature: string) =>
      alerts.find((a) => a.labels['alertname'] === ALERTS.fleetFeatureDrift && a.labels['feature'] === feature);
    const alerts = await eventually(
      'the fleet alert of amount inhibited',
      async () => {
        const all = await alertmanagerAlerts(url);
        return fleet(all, 'amount')?.status.state === 'suppressed' ? all : undefined;
      },
      20_000,
      200,
    );
    const exact = defined(
      alerts.find((a) => a.labels['alertname'] === ALERTS.featureDrift),
      'the exact-tier alert',
    );
    expect(exact.status.state).toBe('active');
    expect(fleet(alerts, 'amount')?.status.inhibitedBy).toEqual([exact.fingerprint]);
    expect(fleet(alerts, 'hour_of_day')?.status).toMatchObject({ state: 'active', inhibitedBy: [] });
  }, 30_000);
});
