import type { LoadedSpec } from '../../spec/src/load-spec';
import { SpecError } from '../../spec/src/spec-error';
import type { Severity } from '../../spec/src/conventions';
import { alertingContext, windowProblems } from './alerting-context';
import { alertmanagerConfig, notificationProblems } from './alertmanager/alertmanager-config';
import { EMAIL_TEMPLATE_PATH, emailTemplates } from './alertmanager/email-templates';
import { LINK_TEMPLATE_PATH, linkTemplates } from './alertmanager/link-templates';
import { SLACK_TEMPLATE_PATH, slackTemplates } from './alertmanager/slack-templates';
import { ALERT_DEFINITIONS } from './alerts';
import { doNotEditHeader, yamlFile, type GeneratedFile } from './generated-file';
import { generationProfile, type ProfileName } from './generation-profile';
import { COMPOSE_TARGETS, prometheusConfig, type StackTargets } from './prometheus-config';
import { ruleTestFiles } from './rule-tests/rule-test-file';
import { ruleFilePath, ruleGroups } from './rule-groups';

export const PROMETHEUS_CONFIG_PATH = 'prometheus/prometheus.yml';
export const ALERTMANAGER_CONFIG_PATH = 'alerting/alertmanager.yml';

export interface AlertingOptions {
  readonly profile: ProfileName;
  /** Scrape targets; compose service names unless the native stack rewrites them. */
  readonly targets?: StackTargets;
}

/**
 * Every alerting file from the spec: rule files (one per group), their promtool tests,
 * prometheus.yml, alertmanager.yml and its notification templates. Throws SpecError, naming the
 * fields, when the spec cannot be turned into working alerting.
 */
export function generateAlerting(loaded: LoadedSpec, options: AlertingOptions): GeneratedFile[] {
  const { spec } = loaded;
  const profile = generationProfile(options.profile, spec);
  const ctx = alertingContext(spec, profile);
  const groups = ruleGroups(ctx, ALERT_DEFINITIONS);
  const severities = new Set<Severity>(
    ALERT_DEFINITIONS.flatMap((alert) => alert.forms(ctx).map((form) => form.severity)),
  );
  const problems = [...windowProblems(spec, profile), ...notificationProblems(spec, severities)];
  if (problems.length > 0) throw new SpecError(loaded.file, problems);

  const ruleFiles = groups.map(ruleFilePath);
  const templateHeader = `{{/*\n${doNotEditHeader(profile.name, '  ')}\n*/}}`;
  const fromPrometheusDir = ruleFiles.map((file) => file.replace(/^prometheus\//, ''));
  return [
    ...groups.map((group, i) => yamlFile(ruleFiles[i] as string, profile.name, { groups: [group] })),
    ...[...ruleTestFiles(ctx, ALERT_DEFINITIONS, ruleFiles)].map(([testPath, content]) =>
      yamlFile(testPath, profile.name, content),
    ),
    yamlFile(
      PROMETHEUS_CONFIG_PATH,
      profile.name,
      prometheusConfig(
        profile,
        fromPrometheusDir,
        options.targets ?? COMPOSE_TARGETS,
        spec.prometheus.credentials_file,
      ),
    ),
    yamlFile(ALERTMANAGER_CONFIG_PATH, profile.name, alertmanagerConfig(spec, profile)),
    { path: LINK_TEMPLATE_PATH, content: linkTemplates(templateHeader) },
    { path: SLACK_TEMPLATE_PATH, content: slackTemplates(templateHeader) },
    { path: EMAIL_TEMPLATE_PATH, content: emailTemplates(templateHeader) },
  ];
}
