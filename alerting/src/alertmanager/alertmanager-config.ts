import type { SlackReceiverSpec, Spec } from '../../../spec/src/schema';
import { ALERTS, type Severity } from '../../../spec/src/conventions';
import { profileSeconds, type GenerationProfile } from '../generation-profile';
import { formatDuration } from '../prometheus-duration';
import { SLACK_TEMPLATES, SLACK_TEMPLATE_PATH } from './slack-templates';

/** Severities that reach people, and the receiver each goes to. */
export const ROUTED_SEVERITIES = ['critical', 'warning'] as const satisfies readonly Severity[];
export type RoutedSeverity = (typeof ROUTED_SEVERITIES)[number];

export const RECEIVERS = {
  critical: 'slack-oncall',
  warning: 'slack-alerts',
  /** Info alerts and the Watchdog: visible in Alertmanager, sent nowhere. */
  none: 'null',
} as const;

/** Labels notifications are grouped by: one Slack message per alert and model. */
export const GROUP_BY = ['alertname', 'model'] as const;

/** Production timings in seconds; the fast profile compresses them like everything else. */
const TIMINGS = {
  groupWait: 30,
  groupInterval: 300,
  repeatInterval: 4 * 3600,
  criticalRepeatInterval: 3600,
};

/**
 * `alerting/alertmanager.yml`: a route per severity to its own Slack receiver (each webhook
 * read from its own file, as Slack binds a webhook to one channel), info and the Watchdog to
 * a null receiver, critical inhibiting warning for the same alert and model, dataset
 * drift inhibiting the per-feature warnings it already names, and a feature's exact-tier
 * alert inhibiting its fleet-tier alert (which its rule already keeps silent while the exact
 * tier has a verdict; the inhibition covers the evaluations in between).
 */
export function alertmanagerConfig(spec: Spec, profile: GenerationProfile): unknown {
  const duration = (seconds: number) => formatDuration(profileSeconds(profile, seconds));
  const slack = spec.notifications?.slack ?? {};
  const receiver = (severity: RoutedSeverity) => {
    const target = slack[severity] as SlackReceiverSpec;
    return {
      name: RECEIVERS[severity],
      slack_configs: [
        {
          api_url_file: target.webhook_file,
          channel: target.channel,
          send_resolved: true,
          title: `{{ template "${SLACK_TEMPLATES.title}" . }}`,
          title_link: `{{ template "${SLACK_TEMPLATES.titleLink}" . }}`,
          text: `{{ template "${SLACK_TEMPLATES.text}" . }}`,
          color: `{{ template "${SLACK_TEMPLATES.color}" . }}`,
        },
      ],
    };
  };
  return {
    route: {
      receiver: RECEIVERS.none,
      group_by: [...GROUP_BY],
      group_wait: duration(TIMINGS.groupWait),
      group_interval: duration(TIMINGS.groupInterval),
      repeat_interval: duration(TIMINGS.repeatInterval),
      routes: [
        { receiver: RECEIVERS.none, matchers: [`alertname="${ALERTS.watchdog}"`] },
        {
          receiver: RECEIVERS.critical,
          matchers: ['severity="critical"'],
          repeat_interval: duration(TIMINGS.criticalRepeatInterval),
        },
        { receiver: RECEIVERS.warning, matchers: ['severity="warning"'] },
        { receiver: RECEIVERS.none, matchers: ['severity="info"'] },
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [...GROUP_BY] },
      {
        source_matchers: [`alertname="${ALERTS.datasetDrift}"`],
        target_matchers: [`alertname="${ALERTS.featureDrift}"`],
        equal: ['model'],
      },
      {
        source_matchers: [`alertname="${ALERTS.featureDrift}"`],
        target_matchers: [`alertname="${ALERTS.fleetFeatureDrift}"`],
        equal: ['model', 'feature'],
      },
    ],
    receivers: [{ name: RECEIVERS.none }, receiver('critical'), receiver('warning')],
    // Relative to this file, so the same config works in the repository, in compose and in the native stack.
    templates: [`templates/${SLACK_TEMPLATE_PATH.split('/').at(-1) as string}`],
  };
}

/** Problems with the notifications section, each naming its path: a routed severity without a receiver, a shared webhook. */
export function notificationProblems(spec: Spec, severitiesInUse: ReadonlySet<Severity>): string[] {
  const problems: string[] = [];
  const slack = spec.notifications?.slack ?? {};
  for (const severity of ROUTED_SEVERITIES) {
    if (severitiesInUse.has(severity) && slack[severity] === undefined) {
      problems.push(
        `notifications.slack.${severity}: required: alerts of severity ${severity} are routed to Slack, and no receiver is configured for them`,
      );
    }
  }
  const { critical, warning } = slack;
  if (critical !== undefined && warning !== undefined) {
    if (critical.webhook_file === warning.webhook_file) {
      problems.push(
        'notifications.slack.warning.webhook_file: same file as notifications.slack.critical; a Slack webhook posts to one channel, so each receiver needs its own',
      );
    }
  }
  return problems;
}
