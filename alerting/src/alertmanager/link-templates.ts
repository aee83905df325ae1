/** Path of the templates every receiver shares, relative to the output directory. */
export const LINK_TEMPLATE_PATH = 'alerting/templates/mlwatch.tmpl';

/** Templates every receiver uses: the title of a notification and the three links an on-call engineer acts on. */
export const LINK_TEMPLATES = {
  title: 'mlwatch.title',
  runbookUrl: 'mlwatch.runbook_url',
  dashboardUrl: 'mlwatch.dashboard_url',
  silenceUrl: 'mlwatch.silence_url',
  alertLabels: 'mlwatch.alert_labels',
} as const;

/**
 * A summary is one sentence without templates, so a list of alerts (the resolved ones) names
 * each by its labels (`alertLabels`, given one alert), all but `alertname` and `severity`.
 *
 * One notification is one alert name and model at one severity (routes split by severity,
 * groups by alert and model), so the first alert's runbook and dashboard are everyone's.
 * The silence link opens Alertmanager's new-silence form (under its `--web.external-url`,
 * which the generated stacks set from `links.alertmanager_url`) prefilled with the labels
 * all alerts of the notification share; each value is quoted as a matcher and escaped for
 * the URL, with spaces as `%20` since the form reads the fragment, where `+` stays a `+`.
 */
export function linkTemplates(header: string): string {
  return `${header}
{{ define "${LINK_TEMPLATES.title}" -}}
{{ if eq .Status "resolved" }}[RESOLVED]{{ else }}[{{ .CommonLabels.severity | toUpper }}]{{ end }} {{ .CommonLabels.alertname }}
{{- with .CommonLabels.model }} · model {{ . }}{{ end }}
{{- if gt (len .Alerts.Firing) 1 }} ({{ len .Alerts.Firing }} firing){{ end }}
{{- end }}

{{ define "${LINK_TEMPLATES.runbookUrl}" -}}
{{ with index .Alerts 0 }}{{ .Annotations.runbook_url }}{{ end }}
{{- end }}

{{ define "${LINK_TEMPLATES.dashboardUrl}" -}}
{{ with index .Alerts 0 }}{{ .Annotations.dashboard_url }}{{ end }}
{{- end }}

{{ define "${LINK_TEMPLATES.alertLabels}" -}}
{{ range .Labels.SortedPairs }}{{ if and (ne .Name "alertname") (ne .Name "severity") }} {{ .Name }}={{ .Value }}{{ end }}{{ end }}
{{- end }}

{{ define "${LINK_TEMPLATES.silenceUrl}" -}}
{{ .ExternalURL }}/#/silences/new?filter=%7B
{{- range $i, $label := .CommonLabels.SortedPairs }}{{ if $i }}%2C%20{{ end }}
{{- printf "%s=%q" $label.Name $label.Value | urlquery | reReplaceAll "[+]" "%20" }}
{{- end }}%7D
{{- end }}
`;
}
