/** Path of the Slack templates, relative to the output directory; alertmanager.yml loads them relative to itself. */
export const SLACK_TEMPLATE_PATH = 'alerting/templates/slack.tmpl';

/** Template names the Slack receivers use; tests render each of them with amtool. */
export const SLACK_TEMPLATES = {
  title: 'mlwatch.slack.title',
  titleLink: 'mlwatch.slack.title_link',
  text: 'mlwatch.slack.text',
  color: 'mlwatch.slack.color',
} as const;

/**
 * The Slack message of one notification (one alert name and model, one severity, since
 * routes split by severity): a title with severity, alert and model, and per alert its
 * summary, description, value and links. A notification where everything resolved says so
 * in the title, and resolved alerts are listed under their own heading.
 */
export function slackTemplates(header: string): string {
  return `${header}
{{ define "${SLACK_TEMPLATES.title}" -}}
{{ if eq .Status "resolved" }}[RESOLVED]{{ else }}[{{ .CommonLabels.severity | toUpper }}]{{ end }} {{ .CommonLabels.alertname }}
{{- with .CommonLabels.model }} · model {{ . }}{{ end }}
{{- if gt (len .Alerts.Firing) 1 }} ({{ len .Alerts.Firing }} firing){{ end }}
{{- end }}

{{ define "${SLACK_TEMPLATES.titleLink}" -}}
{{ with index .Alerts 0 }}{{ .Annotations.dashboard_url }}{{ end }}
{{- end }}

{{ define "${SLACK_TEMPLATES.color}" -}}
{{ if eq .Status "resolved" }}good{{ else if eq .CommonLabels.severity "critical" }}danger{{ else }}warning{{ end }}
{{- end }}

{{ define "${SLACK_TEMPLATES.text}" -}}
{{ range .Alerts.Firing -}}
• *{{ .Annotations.summary }}*
{{ .Annotations.description }}
*Value:* {{ .Annotations.value }} · <{{ .Annotations.runbook_url }}|Runbook> · <{{ .Annotations.dashboard_url }}|Dashboard>
{{ end -}}
{{ if .Alerts.Resolved -}}
*Resolved:*
{{ range .Alerts.Resolved -}}
• {{ .Annotations.summary }}
{{ end -}}
{{ end -}}
{{- end }}
`;
}
