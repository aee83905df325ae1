import { LINK_TEMPLATES } from './link-templates';

/** Path of the e-mail templates, relative to the output directory. */
export const EMAIL_TEMPLATE_PATH = 'alerting/templates/email.tmpl';

/** Template names the e-mail receivers use; tests render each of them with amtool. */
export const EMAIL_TEMPLATES = {
  text: 'mlwatch.email.text',
  html: 'mlwatch.email.html',
} as const;

/**
 * The e-mail of one notification, as plain text and as HTML (Alertmanager renders `html`
 * with Go's html/template, which escapes every value): the title, per alert its summary,
 * description and value, resolved alerts apart, and the runbook, dashboard and silence links.
 */
export function emailTemplates(header: string): string {
  const { title, runbookUrl, dashboardUrl, silenceUrl } = LINK_TEMPLATES;
  return `${header}
{{ define "${EMAIL_TEMPLATES.text}" -}}
{{ template "${title}" . }}
{{ range .Alerts.Firing }}
- {{ .Annotations.summary }}
  {{ .Annotations.description }}
  Value: {{ .Annotations.value }}
{{ end -}}
{{ if .Alerts.Resolved }}
Resolved:
{{ range .Alerts.Resolved -}}
- {{ .Annotations.summary }}{{ template "${LINK_TEMPLATES.alertLabels}" . }}
{{ end -}}
{{ end }}
Runbook: {{ template "${runbookUrl}" . }}
Dashboard: {{ template "${dashboardUrl}" . }}
Silence: {{ template "${silenceUrl}" . }}
{{- end }}

{{ define "${EMAIL_TEMPLATES.html}" -}}
<!DOCTYPE html>
<html><body style="font-family: sans-serif">
<h2>{{ template "${title}" . }}</h2>
{{ range .Alerts.Firing -}}
<p><strong>{{ .Annotations.summary }}</strong><br>{{ .Annotations.description }}<br>Value: {{ .Annotations.value }}</p>
{{ end -}}
{{ if .Alerts.Resolved -}}
<p>Resolved:</p>
<ul>{{ range .Alerts.Resolved }}<li>{{ .Annotations.summary }}{{ template "${LINK_TEMPLATES.alertLabels}" . }}</li>{{ end }}</ul>
{{ end -}}
<p><a href="{{ template "${runbookUrl}" . }}">Runbook</a> · <a href="{{ template "${dashboardUrl}" . }}">Dashboard</a> · <a href="{{ template "${silenceUrl}" . }}">Silence</a></p>
</body></html>
{{- end }}
`;
}
