import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  RECEIVERS,
  ROUTED_SEVERITIES,
  type RoutedSeverity,
} from '../../../alerting/src/alertmanager/alertmanager-config';
import {
  ALERTMANAGER_CONFIG_PATH,
  PROMETHEUS_CONFIG_PATH,
  generateAlerting,
} from '../../../alerting/src/generate-alerting';
import type { ProfileName } from '../../../alerting/src/generation-profile';
import type { StackTargets } from '../../../alerting/src/prometheus-config';
import { writeGenerated } from '../../../alerting/src/write-generated';
import { loadSpec } from '../../../spec/src/load-spec';
import { SLACK_WEBHOOK_PREFIX } from '../slack-sink/slack-sink-server';
import { stackSpecText, type StackLinks } from './stack-spec';

/** Where the stack's generated configuration, data and logs live, all under one directory. */
export interface StackFiles {
  readonly dir: string;
  /** The derived spec the stack's exporters and simulators run. */
  readonly specFile: string;
  readonly prometheusConfig: string;
  readonly alertmanagerConfig: string;
  readonly prometheusData: string;
  /** The token the simulators send (`auth.write`), one per stack, made at random. */
  readonly writeTokenFile: string;
  /** The token Prometheus scrapes the exporters with (`auth.read`). */
  readonly readTokenFile: string;
  readonly alertmanagerData: string;
  readonly logDir: string;
}

/** The slack-sink path of a receiver's webhook: `oncall` posts to `/slack/oncall`, so the sink knows who sent what. */
export function sinkReceiverName(severity: RoutedSeverity): string {
  return RECEIVERS[severity];
}

export interface StackFilesOptions {
  readonly sourceSpec: string;
  readonly profile: ProfileName;
  readonly targets: StackTargets;
  /** Base URL of the slack-sink; each receiver's webhook file names its own path there. */
  readonly slackSinkUrl: string;
  /** The stack's own addresses for the links in alerts: the first exporter (runbooks) and Alertmanager (silences). */
  readonly links: StackLinks;
  /** The stack's Redis, when it runs one (several replicas taking labels). */
  readonly redisUrl?: string;
}

/**
 * Writes everything the native stack runs from into `dir`: the derived spec, one webhook
 * file per Slack receiver (Alertmanager reads URLs from files only), a write and a read token,
 * and the Prometheus and
 * Alertmanager files generated from the derived spec for loopback targets.
 */
export function writeStackFiles(dir: string, options: StackFilesOptions): StackFiles {
  const files: StackFiles = {
    dir,
    specFile: path.join(dir, 'mlwatch.yaml'),
    prometheusConfig: path.join(dir, PROMETHEUS_CONFIG_PATH),
    alertmanagerConfig: path.join(dir, ALERTMANAGER_CONFIG_PATH),
    prometheusData: path.join(dir, 'data', 'prometheus'),
    writeTokenFile: path.join(dir, 'secrets', 'mlwatch_write_token'),
    readTokenFile: path.join(dir, 'secrets', 'mlwatch_read_token'),
    alertmanagerData: path.join(dir, 'data', 'alertmanager'),
    logDir: path.join(dir, 'logs'),
  };
  for (const sub of ['secrets', files.prometheusData, files.alertmanagerData, files.logDir])
    mkdirSync(path.resolve(dir, sub), { recursive: true });

  const webhookFile = (severity: RoutedSeverity) => path.join(dir, 'secrets', `slack_${RECEIVERS[severity]}_webhook`);
  for (const severity of ROUTED_SEVERITIES) {
    writeFileSync(
      webhookFile(severity),
      `${options.slackSinkUrl}${SLACK_WEBHOOK_PREFIX}${sinkReceiverName(severity)}`,
      { mode: 0o600 },
    );
  }
  // The stack runs as production does: every exporter endpoint but health needs a token.
  for (const file of [files.writeTokenFile, files.readTokenFile])
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  writeFileSync(
    files.specFile,
    stackSpecText(options.sourceSpec, {
      profile: options.profile,
      webhookFiles: { critical: webhookFile('critical'), warning: webhookFile('warning') },
      logFile: path.join(files.logDir, 'predictions.jsonl'),
      tokenFiles: { write: files.writeTokenFile, read: files.readTokenFile },
      links: options.links,
      ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    }),
  );
  writeGenerated(
    dir,
    generateAlerting(loadSpec(files.specFile), { profile: options.profile, targets: options.targets }),
  );
  return files;
}
