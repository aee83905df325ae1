import { LINK_TEMPLATES } from './link-templates';

/** Path of the Slack templates, relative to the output directory; alertmanager.yml loads them relative to itself. */
export const SLACK_TEMPLATE_PATH = 'alerting/templates/slack.tmpl';

/** Template names the Slack receivers use; tests render each of them with amtool. */
export const SLACK_TEMPLATES = {
  text: 'mlwatch.slack.text',
  color: 'mlwatch.slack.color',
  fallback: 'mlwatch.slack.fallback',
} as const;

/** The buttons under every Slack message (Alertmanager's `actions`): what to read, where to look, how to quiet it. */
export const SLACK_BUTTONS = [
  { text: 'Runbook', template: LINK_TEMPLATES.runbookUrl },
  { text: 'Dashboard', template: LINK_TEMPLATES.dashboardUrl },
  { text: 'Silence', template: LINK_TEMPLATES.silenceUrl },
] as const;

/**
 * The Slack message of one notification: the shared title linking to the dashboard, per
 * alert its summary, description and value, resolved alerts under their own heading, and
 * the buttons above. The fallback (the plain text of push notifications and old clients)
 * is the title and the runbook, where Alertmanager's default names its external URL,
 * the machine's hostname when none is set.
 */
export function slackTemplates(header: string): string {
  return `${header}
{{ define "${SLACK_TEMPLATES.color}" -}}
{{ if eq .Status "resolved" }}good{{ else if eq .CommonLabels.severity "critical" }}danger{{ else }}warning{{ end }}
{{- end }}

{{ define "${SLACK_TEMPLATES.fallback}" -}}
{{ template "${LINK_TEMPLATES.title}" . }} · runbook: {{ template "${LINK_TEMPLATES.runbookUrl}" . }}
{{- end }}

{{ define "${SLACK_TEMPLATES.text}" -}}
{{ range .Alerts.Firing -}}
• *{{ .Annotations.summary }}*
{{ .Annotations.description }}
*Value:* {{ .Annotations.value }}
{{ end -}}
{{ if .Alerts.Resolved -}}
*Resolved:*
{{ range .Alerts.Resolved -}}
• {{ .Annotations.summary }}{{ template "${LINK_TEMPLATES.alertLabels}" . }}
{{ end -}}
{{ end -}}
{{- end }}
`;
}
