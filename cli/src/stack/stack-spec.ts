import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ProfileName } from '../../../alerting/src/generation-profile';
import { loadSpec } from '../../../spec/src/load-spec';

/**
 * The exact drift tier in the fast profile, in seconds. The exporter runs in real time while
 * alerting is compressed 60×, so the demo's 15 s evaluation would take as long as the whole
 * 15 s `for:` of the drift alerts; one evaluation per scrape keeps the two in step.
 */
export const FAST_DRIFT_EVALUATION_SECONDS = 1;

export interface StackSpecOptions {
  readonly profile: ProfileName;
  /** Files holding each receiver's webhook URL, as the native Alertmanager reads them. */
  readonly webhookFiles: { readonly critical: string; readonly warning: string };
  /** The prediction log of the stack's exporters. */
  readonly logFile: string;
  /** The stack's token files: the exporters accept only these, and Prometheus scrapes with the read one. */
  readonly tokenFiles: { readonly write: string; readonly read: string };
  /** Where the stack's links lead, replacing the spec's: alerts must open what this stack runs. */
  readonly links: StackLinks;
  /** The shared Redis join store of a stack with several replicas taking labels; absent keeps the spec's joins. */
  readonly redisUrl?: string;
}

/** The stack's addresses that alerts link to (`links.public_url` and `links.alertmanager_url`). */
export interface StackLinks {
  /** The first exporter replica, which serves the runbooks. */
  readonly publicUrl: string;
  readonly alertmanagerUrl: string;
}

type Yaml = Record<string, unknown>;

/**
 * The spec the native stack runs, as YAML: the user's spec (validated first, so its own
 * problems name its own file) with its paths made absolute, the prediction log in the stack's
 * directory and off stdout, the Slack webhooks pointed at the stack's files, its own tokens
 * (replacing the user's auth), the links of its alerts pointed at its own exporter (runbooks)
 * and Alertmanager (silences) unless the runbooks live elsewhere, and in the fast
 * profile the drift evaluation interval above. Everything else, thresholds included, is the user's.
 */
export function stackSpecText(sourceFile: string, options: StackSpecOptions): string {
  const loaded = loadSpec(sourceFile);
  const spec = yaml.load(readFileSync(sourceFile, 'utf8')) as Yaml;
  const absolute = (value: unknown) => (typeof value === 'string' ? loaded.resolve(value) : value);

  for (const model of asList(spec['models'])) {
    if ('reference' in model) model['reference'] = absolute(model['reference']);
    for (const version of asList(model['versions']))
      if ('artifact' in version) version['artifact'] = absolute(version['artifact']);
  }
  spec['logging'] = { ...asObject(spec['logging']), file: options.logFile, stdout: false };
  spec['auth'] = {
    write: { token_files: [options.tokenFiles.write] },
    read: { token_files: [options.tokenFiles.read] },
    allow_unauthenticated: false,
  };
  spec['prometheus'] = { ...asObject(spec['prometheus']), credentials_file: options.tokenFiles.read };
  const slack = asObject(asObject(spec['notifications'])['slack']);
  for (const severity of ['critical', 'warning'] as const) {
    const receiver = slack[severity];
    if (isObject(receiver)) receiver['webhook_file'] = options.webhookFiles[severity];
  }
  // Runbooks kept elsewhere (links.runbooks_url) stay there; the served ones come from this stack's exporter.
  spec['links'] = {
    ...asObject(spec['links']),
    public_url: options.links.publicUrl,
    alertmanager_url: options.links.alertmanagerUrl,
  };
  if (options.redisUrl !== undefined)
    spec['joins'] = {
      ...asObject(spec['joins']),
      store: 'redis',
      redis: { ...asObject(asObject(spec['joins'])['redis']), url: options.redisUrl },
    };
  if (options.profile === 'fast') {
    const drift = (spec['drift'] = asObject(spec['drift']));
    drift['evaluation_interval_seconds'] = Math.min(
      loaded.spec.drift.evaluation_interval_seconds,
      FAST_DRIFT_EVALUATION_SECONDS,
    );
  }
  return `# Written by \`mlwatch stack\` from ${path.resolve(sourceFile)} (profile: ${options.profile}); edit that file, not this one.\n${yaml.dump(spec, { lineWidth: -1, noRefs: true })}`;
}

function isObject(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Yaml {
  return isObject(value) ? value : {};
}

function asList(value: unknown): Yaml[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
