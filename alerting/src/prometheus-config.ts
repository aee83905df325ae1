import { EXPORTER_JOB } from '../../spec/src/conventions';
import type { GenerationProfile } from './generation-profile';
import { formatDuration } from './prometheus-duration';

/** Where Prometheus finds each part of the stack; compose service names by default. */
export interface StackTargets {
  readonly exporters: readonly string[];
  readonly alertmanager: string;
  readonly prometheus: string;
  readonly nodeExporter?: string;
}

export const COMPOSE_TARGETS: StackTargets = {
  exporters: ['exporter:9420'],
  alertmanager: 'alertmanager:9093',
  prometheus: 'localhost:9090',
  nodeExporter: 'node-exporter:9100',
};

/** `prometheus/prometheus.yml`: scrape the exporters and the stack, load the generated rules, send alerts on. */
export function prometheusConfig(
  profile: GenerationProfile,
  ruleFiles: readonly string[],
  targets: StackTargets = COMPOSE_TARGETS,
  exporterCredentialsFile?: string,
): unknown {
  const job = (name: string, hosts: readonly string[]) => ({
    job_name: name,
    static_configs: [{ targets: [...hosts] }],
  });
  // The exporters' read token, from a file Prometheus re-reads on every scrape (rotation needs no reload).
  const exporterJob = {
    ...job(EXPORTER_JOB, targets.exporters),
    ...(exporterCredentialsFile === undefined
      ? {}
      : { authorization: { type: 'Bearer', credentials_file: exporterCredentialsFile } }),
  };
  return {
    global: {
      scrape_interval: formatDuration(profile.scrapeIntervalSeconds),
      evaluation_interval: formatDuration(profile.evaluationIntervalSeconds),
    },
    rule_files: [...ruleFiles],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [targets.alertmanager] }] }] },
    scrape_configs: [
      exporterJob,
      job('prometheus', [targets.prometheus]),
      job('alertmanager', [targets.alertmanager]),
      ...(targets.nodeExporter === undefined ? [] : [job('node', [targets.nodeExporter])]),
    ],
  };
}
