import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { ROUTED_SEVERITIES } from '../../../alerting/src/alertmanager/alertmanager-config';
import { loadSpec } from '../../../spec/src/load-spec';
import { GRAFANA_DASHBOARDS_PATH } from '../../../dashboards/src/provisioning';
import { sinkReceiverName } from '../../../cli/src/stack/stack-files';
import { REPO_ROOT } from '../../support/demo-spec';
import { parseDockerfile } from '../../support/dockerfile';
import { TOOLS, describeWithTools } from '../../support/real-tools';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  volumes?: string[];
  secrets?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  mem_limit?: string;
  cpus?: number;
  restart?: string;
  user?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

const compose = yaml.load(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
const service = (name: string) => compose.services[name] as ComposeService;
const spec = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec;

describe('docker-compose.yml', () => {
  test('has the whole stack: exporter, a simulator per demo model, slack-sink, Prometheus, Alertmanager, Grafana and node-exporter', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'alertmanager',
      'exporter',
      'grafana',
      'node-exporter',
      'prometheus',
      'simulator',
      'simulator-spend',
      'slack-sink',
    ]);
    // Every model of the demo spec gets traffic: the first by default, the others by name.
    const models = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec.models.map((m) => m.name);
    const driven = ['simulator', 'simulator-spend'].map((name) => {
      const command = service(name).command ?? [];
      const at = command.indexOf('--model');
      return at < 0 ? models[0] : command[at + 1];
    });
    expect(driven.sort()).toEqual([...models].sort());
  });

  test('third-party images are pinned to a version; the mlwatch services share the image built from exporter/Dockerfile', () => {
    for (const name of ['prometheus', 'alertmanager', 'grafana', 'node-exporter'])
      expect(service(name).image).toMatch(/:v?\d+\.\d+\.\d+$/);
    expect(service('exporter').build).toEqual({ context: '.', dockerfile: 'exporter/Dockerfile' });
    for (const name of ['simulator', 'simulator-spend', 'slack-sink'])
      expect(service(name).image).toBe(service('exporter').image);
    expect(service('simulator').command?.slice(0, 1)).toEqual(['simulate']);
    expect(service('slack-sink').command?.slice(0, 1)).toEqual(['slack-sink']);
  });

  test('the exporter image runs as a non-root user and checks its own health', () => {
    const runtime = parseDockerfile(path.join(REPO_ROOT, 'exporter', 'Dockerfile')).at(-1);
    const user = runtime?.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime?.instructions.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('/healthz'))).toBe(true);
  });

  test('Prometheus mounts the generated config and rules read-only, keeps its TSDB in a named volume and sets a retention', () => {
    const prometheus = service('prometheus');
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining(['${MLWATCH_GENERATED:-.}/prometheus:/etc/prometheus:ro', 'prometheus-data:/prometheus']),
    );
    expect(prometheus.command).toEqual(
      expect.arrayContaining([
        '--config.file=/etc/prometheus/prometheus.yml',
        expect.stringMatching(/^--storage\.tsdb\.retention\.time=\d+d$/),
      ]),
    );
    expect(Object.keys(compose.volumes)).toContain('prometheus-data');
  });

  test('every target of the generated prometheus.yml is a compose service on the port it listens on', () => {
    const config = yaml.load(readFileSync(path.join(REPO_ROOT, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    const targets = [
      ...config.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)),
      ...config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
    ];
    const ports: Record<string, string> = {
      exporter: String(spec.exporter.port),
      alertmanager: '9093',
      'node-exporter': '9100',
      localhost: '9090',
    };
    for (const target of targets) {
      const [host, port] = target.split(':') as [string, string];
      expect(host === 'localhost' || host in compose.services).toBe(true);
      expect([target, port]).toEqual([target, ports[host]]);
    }
  });

  test("Alertmanager gets each Slack webhook as a Docker secret where the spec's webhook_file points; the example secrets send to the slack-sink", () => {
    const alertmanager = service('alertmanager');
    expect(alertmanager.volumes).toEqual(
      expect.arrayContaining([
        '${MLWATCH_GENERATED:-.}/alerting/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro',
        '${MLWATCH_GENERATED:-.}/alerting/templates:/etc/alertmanager/templates:ro',
      ]),
    );
    const sinkCommand = service('slack-sink').command ?? [];
    const sinkPort = sinkCommand[sinkCommand.indexOf('--port') + 1];
    for (const severity of ROUTED_SEVERITIES) {
      const webhookFile = spec.notifications?.slack?.[severity]?.webhook_file as string;
      const secret = path.posix.basename(webhookFile);
      expect(path.posix.dirname(webhookFile)).toBe('/run/secrets');
      expect(alertmanager.secrets).toContain(secret);
      const example = /^\$\{\w+:-(.+)\}$/.exec(compose.secrets[secret]?.file ?? '')?.[1] as string;
      expect(example).toMatch(/\.example$/);
      expect(readFileSync(path.join(REPO_ROOT, example), 'utf8').trim()).toBe(
        `http://slack-sink:${sinkPort}/slack/${sinkReceiverName(severity)}`,
      );
    }
  });

  test("regression: silence link without external URL: compose passes the spec's links.alertmanager_url as Alertmanager's --web.external-url, on the port it publishes", () => {
    const alertmanager = service('alertmanager');
    const external = spec.links.alertmanager_url;
    expect(alertmanager.command).toContain(`--web.external-url=${external}`);
    expect(alertmanager.ports).toContain(`127.0.0.1:${new URL(external).port}:9093`);
  });

  test("the runbook links open: links.public_url names the exporter's published port", () => {
    expect(service('exporter').ports).toContain(`${new URL(spec.links.public_url).port}:9420`);
  });

  test("Grafana mounts the dashboards' provisioning and generated JSON; its admin password comes from the environment with no default", () => {
    const grafana = service('grafana');
    // The provider reads dashboards where compose mounts them: the same path on both sides.
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './dashboards/provisioning:/etc/grafana/provisioning:ro',
        `./dashboards/generated:${GRAFANA_DASHBOARDS_PATH}:ro`,
      ]),
    );
    expect(grafana.environment?.['GF_SECURITY_ADMIN_PASSWORD']).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?.+\}$/);
    expect(readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')).toMatch(/^GRAFANA_ADMIN_PASSWORD=$/m);
  });

  test('services start in order: each waits for what it needs to be healthy, and those have health checks', () => {
    const needs: Record<string, string[]> = {
      simulator: ['exporter'],
      'simulator-spend': ['exporter'],
      'slack-sink': ['exporter'],
      alertmanager: ['slack-sink'],
      prometheus: ['exporter', 'alertmanager'],
      grafana: ['prometheus'],
    };
    for (const [name, dependencies] of Object.entries(needs)) {
      for (const dependency of dependencies) {
        expect([name, dependency, service(name).depends_on?.[dependency]?.condition]).toEqual([
          name,
          dependency,
          'service_healthy',
        ]);
        // The exporter's check is the image's HEALTHCHECK; the others are written here.
        if (dependency !== 'exporter') expect(service(dependency).healthcheck?.test).toBeDefined();
      }
    }
  });
});

describe('docker-compose.yml exposure (issue 12)', () => {
  test('regression: only Grafana and the exporter are published on every interface; Prometheus and Alertmanager on 127.0.0.1 only', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).map(([name, s]) => [name, (s.ports ?? []).slice().sort()]),
    );
    expect(published).toEqual({
      alertmanager: ['127.0.0.1:9093:9093'],
      exporter: ['9420:9420'],
      grafana: ['3000:3000'],
      'node-exporter': [],
      prometheus: ['127.0.0.1:9090:9090'],
      simulator: [],
      'simulator-spend': [],
      'slack-sink': [],
    });
  });

  test('regression: Prometheus runs without --web.enable-lifecycle, so nobody who reaches it can POST /-/quit', () => {
    expect(service('prometheus').command).not.toContain('--web.enable-lifecycle');
  });

  test('every service has a restart policy, a memory and CPU limit, no capabilities and a read-only root filesystem', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect([name, s.restart]).toEqual([name, 'unless-stopped']);
      expect([name, s.mem_limit]).toEqual([name, expect.stringMatching(/^\d+[mg]$/)]);
      expect([name, typeof s.cpus]).toEqual([name, 'number']);
      expect([name, s.cap_drop]).toEqual([name, ['ALL']]);
      expect([name, s.read_only]).toEqual([name, true]);
      // Root only where an image says so; none of these sets a user that is root.
      expect([name, s.user ?? 'image default']).not.toEqual([name, expect.stringMatching(/^(root|0)(:|$)/)]);
    }
  });

  test('the exporter reads its tokens from secrets named in .env, the simulator sends the write token and Prometheus scrapes with the read one', () => {
    const exporter = service('exporter');
    expect(exporter.secrets).toEqual(['mlwatch_write_token', 'mlwatch_read_token']);
    expect(exporter.environment).toEqual({
      MLWATCH_WRITE_TOKEN_FILE: '/run/secrets/mlwatch_write_token',
      MLWATCH_READ_TOKEN_FILE: '/run/secrets/mlwatch_read_token',
    });
    expect(spec.auth.write.token_env).toEqual(['MLWATCH_WRITE_TOKEN']);
    expect(spec.auth.read.token_env).toEqual(['MLWATCH_READ_TOKEN']);
    expect(service('simulator').secrets).toEqual(['mlwatch_write_token']);
    expect(service('simulator').environment).toEqual({ MLWATCH_TOKEN_FILE: '/run/secrets/mlwatch_write_token' });
    expect(service('prometheus').secrets).toEqual(['mlwatch_read_token']);
    expect(spec.prometheus.credentials_file).toBe('/run/secrets/mlwatch_read_token');
    for (const [secret, variable] of [
      ['mlwatch_write_token', 'MLWATCH_WRITE_TOKEN_SECRET'],
      ['mlwatch_read_token', 'MLWATCH_READ_TOKEN_SECRET'],
    ] as const) {
      expect(compose.secrets[secret]?.file).toMatch(new RegExp(`^\\$\\{${variable}:\\?.+\\}$`));
      expect(readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')).toMatch(
        new RegExp(`^${variable}=\\./secrets/${secret}$`, 'm'),
      );
    }
  });
});

describeWithTools([TOOLS.dockerCompose], "docker-compose config (Debian's 1.29)", () => {
  /** Runs `docker-compose config -q` on the repository's file with only `env` as its environment file. */
  function composeConfig(env: string): { status: number | null; output: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-compose-'));
    const envFile = path.join(dir, '.env');
    writeFileSync(envFile, env);
    const processEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !['GRAFANA_ADMIN_PASSWORD', 'MLWATCH_WRITE_TOKEN_SECRET', 'MLWATCH_READ_TOKEN_SECRET'].includes(key),
      ),
    );
    const result = spawnSync(
      TOOLS.dockerCompose,
      [
        '--project-directory',
        REPO_ROOT,
        '--env-file',
        envFile,
        '-f',
        path.join(REPO_ROOT, 'docker-compose.yml'),
        'config',
        '-q',
      ],
      { encoding: 'utf8', env: processEnv, timeout: 60_000 },
    );
    rmSync(dir, { recursive: true, force: true });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  const TOKENS = 'MLWATCH_WRITE_TOKEN_SECRET=./secrets/w\nMLWATCH_READ_TOKEN_SECRET=./secrets/r\n';

  test('validates the file', () => {
    const result = composeConfig(`GRAFANA_ADMIN_PASSWORD=only-for-this-test\n${TOKENS}`);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  test('refuses to run without a Grafana admin password, saying where to set it', () => {
    const result = composeConfig(TOKENS);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('set GRAFANA_ADMIN_PASSWORD in .env (see .env.example)');
  });

  test('refuses to run without the token files, saying where to set them', () => {
    const result = composeConfig('GRAFANA_ADMIN_PASSWORD=only-for-this-test\n');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('set MLWATCH_WRITE_TOKEN_SECRET in .env (see .env.example)');
  });
});
