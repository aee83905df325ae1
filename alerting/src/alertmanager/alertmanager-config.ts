import path from 'node:path';
import type { NotificationsSpec, Spec } from '../../../spec/src/schema';
import { ALERTS, type Severity } from '../../../spec/src/conventions';
import { profileSeconds, type GenerationProfile } from '../generation-profile';
import { formatDuration } from '../prometheus-duration';
import { EMAIL_TEMPLATES, EMAIL_TEMPLATE_PATH } from './email-templates';
import { LINK_TEMPLATES, LINK_TEMPLATE_PATH } from './link-templates';
import { SLACK_BUTTONS, SLACK_TEMPLATES, SLACK_TEMPLATE_PATH } from './slack-templates';

/** Severities that reach people, and the receiver each goes to. */
export const ROUTED_SEVERITIES = ['critical', 'warning'] as const satisfies readonly Severity[];
export type RoutedSeverity = (typeof ROUTED_SEVERITIES)[number];

/**
 * The receiver of each routed severity: every integration the spec configures for that
 * severity (Slack, e-mail, PagerDuty, webhook) sits in it, so one route notifies them all.
 */
export const RECEIVERS = {
  critical: 'oncall',
  warning: 'alerts',
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
 * `alerting/alertmanager.yml`: a route per severity to its own receiver (each secret read
 * from its own file), info and the Watchdog to a null receiver, critical inhibiting warning
 * for the same alert and model, dataset drift inhibiting the per-feature warnings it
 * already names, and a feature's exact-tier alert inhibiting its fleet-tier alert (which
 * its rule already keeps silent while the exact tier has a verdict; the inhibition covers
 * the evaluations in between).
 */
export function alertmanagerConfig(spec: Spec, profile: GenerationProfile): unknown {
  const duration = (seconds: number) => formatDuration(profileSeconds(profile, seconds));
  const receiver = (severity: RoutedSeverity) => ({
    name: RECEIVERS[severity],
    ...integrations(spec.notifications ?? {}, severity),
  });
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
    templates: TEMPLATE_PATHS.map((file) => `templates/${path.posix.basename(file)}`),
  };
}

/** Every template file alertmanager.yml loads, relative to the output directory. */
export const TEMPLATE_PATHS = [LINK_TEMPLATE_PATH, SLACK_TEMPLATE_PATH, EMAIL_TEMPLATE_PATH] as const;

const template = (name: string) => `{{ template "${name}" . }}`;

/** The integrations of one severity's receiver, each only when the spec configures it for that severity. */
function integrations(notifications: NotificationsSpec, severity: RoutedSeverity): Record<string, unknown[]> {
  const { slack, email, pagerduty, webhook } = notifications;
  const out: Record<string, unknown[]> = {};
  const slackTarget = slack?.[severity];
  if (slackTarget !== undefined)
    out['slack_configs'] = [
      {
        api_url_file: slackTarget.webhook_file,
        channel: slackTarget.channel,
        send_resolved: true,
        title: template(LINK_TEMPLATES.title),
        title_link: template(LINK_TEMPLATES.dashboardUrl),
        text: template(SLACK_TEMPLATES.text),
        color: template(SLACK_TEMPLATES.color),
        fallback: template(SLACK_TEMPLATES.fallback),
        actions: SLACK_BUTTONS.map((button) => ({ type: 'button', text: button.text, url: template(button.template) })),
      },
    ];
  const emailTarget = email?.[severity];
  if (email !== undefined && emailTarget !== undefined)
    out['email_configs'] = [
      {
        to: emailTarget.to,
        from: email.from,
        smarthost: email.smarthost,
        ...(email.auth_username === undefined
          ? {}
          : { auth_username: email.auth_username, auth_password_file: email.auth_password_file }),
        require_tls: email.require_tls,
        send_resolved: true,
        headers: { Subject: template(LINK_TEMPLATES.title) },
        text: template(EMAIL_TEMPLATES.text),
        html: template(EMAIL_TEMPLATES.html),
      },
    ];
  const pagerdutyTarget = pagerduty?.[severity];
  if (pagerdutyTarget !== undefined)
    out['pagerduty_configs'] = [
      {
        routing_key_file: pagerdutyTarget.routing_key_file,
        send_resolved: true,
        // PagerDuty's own severities include critical and warning; the route already split by ours.
        severity,
        description: template(LINK_TEMPLATES.title),
        client: 'mlwatch',
        client_url: template(LINK_TEMPLATES.dashboardUrl),
        links: SLACK_BUTTONS.map((button) => ({ href: template(button.template), text: button.text })),
      },
    ];
  const webhookTarget = webhook?.[severity];
  if (webhookTarget !== undefined)
    out['webhook_configs'] = [
      {
        url: webhookTarget.url,
        send_resolved: true,
        ...(webhookTarget.credentials_file === undefined
          ? {}
          : { http_config: { authorization: { type: 'Bearer', credentials_file: webhookTarget.credentials_file } } }),
      },
    ];
  return out;
}

/** What a routed severity may be delivered by, for messages. */
const INTEGRATIONS = ['slack', 'email', 'pagerduty', 'webhook'] as const;

/**
 * Problems with the notifications section, each naming its path: a routed severity that
 * no integration receives, a Slack webhook shared by both severities.
 */
export function notificationProblems(spec: Spec, severitiesInUse: ReadonlySet<Severity>): string[] {
  const problems: string[] = [];
  const notifications = spec.notifications ?? {};
  for (const severity of ROUTED_SEVERITIES) {
    const configured = INTEGRATIONS.some((kind) => notifications[kind]?.[severity] !== undefined);
    if (severitiesInUse.has(severity) && !configured) {
      problems.push(
        `notifications: required: alerts of severity ${severity} are routed, and none of ${INTEGRATIONS.map((kind) => `notifications.${kind}.${severity}`).join(', ')} receives them`,
      );
    }
  }
  const { critical, warning } = notifications.slack ?? {};
  if (critical !== undefined && warning !== undefined && critical.webhook_file === warning.webhook_file) {
    problems.push(
      'notifications.slack.warning.webhook_file: same file as notifications.slack.critical; a Slack webhook posts to one channel, so each receiver needs its own',
    );
  }
  return problems;
}
