import { Marked, type Tokens } from 'marked';
import { RUNBOOKS_PATH } from '../../../spec/src/conventions';

/** The runbooks as the exporter serves them: an index and one HTML page per alert, rendered once. */
export interface RunbookPages {
  /** The alerts that have a section, in the document's order. */
  readonly alerts: readonly string[];
  /** `/runbooks`: the introduction and a link to every alert's page. */
  readonly index: string;
  /** The page of one alert (its name as written, or in any case), or undefined when it has no section. */
  page(alert: string): string | undefined;
  /** The 404 page for an alert without a section, naming it and linking to the index. */
  notFound(alert: string): string;
}

/** A section heading that names an alert: `## MLWatchExporterDown`. */
const ALERT_HEADING = /^## +([A-Za-z][A-Za-z0-9_]*) *$/;

/**
 * Splits runbooks Markdown (alerting/runbooks.md) into its introduction and one section per
 * `## <AlertName>` heading and renders each as a page of its own. Everything is escaped:
 * raw HTML in the Markdown is shown as text, links keep only http(s), mailto, fragment and
 * relative targets, and images become their alt text, so a page loads nothing from elsewhere.
 */
export function runbookPages(markdown: string): RunbookPages {
  const { title, intro, sections } = splitSections(markdown);
  const marked = safeMarked();
  const render = (text: string) => marked.parse(text, { async: false });
  const pages = new Map<string, string>();
  for (const [alert, body] of sections)
    pages.set(alert.toLowerCase(), page(`${alert} · ${title}`, `${render(body)}${backToIndex()}`));
  const alerts = [...sections.keys()];
  const list = alerts
    .map((alert) => `<li><a href="${INDEX_NAME}/${encodeURIComponent(alert)}">${escapeHtml(alert)}</a></li>`)
    .join('\n');
  return {
    alerts,
    index: page(title, `<h1>${escapeHtml(title)}</h1>\n${render(intro)}<ul>\n${list}\n</ul>\n`),
    page: (alert) => pages.get(alert.toLowerCase()),
    notFound: (alert) =>
      page(
        'No such runbook',
        `<h1>No runbook for ${escapeHtml(JSON.stringify(alert))}</h1>\n<p>mlwatch has no alert of that name.</p>\n${backToIndex()}`,
      ),
  };
}

/** The document's `# title`, the text before the first alert, and each alert's section with its heading. */
function splitSections(markdown: string): { title: string; intro: string; sections: Map<string, string> } {
  let title: string | undefined;
  const intro: string[] = [];
  const sections = new Map<string, string[]>();
  let current = intro;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = ALERT_HEADING.exec(line);
    if (heading !== null) {
      current = [line];
      sections.set(heading[1] as string, current);
    } else if (current === intro && title === undefined && /^# /.test(line) && intro.every((l) => l.trim() === '')) {
      title = line.replace(/^# +/, '').trim();
    } else {
      current.push(line);
    }
  }
  return {
    title: title ?? 'Runbooks',
    intro: intro.join('\n'),
    sections: new Map([...sections].map(([alert, lines]) => [alert, lines.join('\n')])),
  };
}

/** A Marked instance that escapes raw HTML, drops unsafe link targets and renders images as text. */
function safeMarked(): Marked {
  return new Marked({
    gfm: true,
    renderer: {
      html: ({ text }) => escapeHtml(text),
      image: ({ text }) => escapeHtml(text),
    },
    walkTokens: (token) => {
      if (token.type === 'link') {
        const link = token as Tokens.Link;
        if (!isSafeHref(link.href)) link.href = '#';
      }
    },
  });
}

/** http(s), mailto, a fragment or a relative path; never javascript:, data: or any other scheme. */
function isSafeHref(href: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href.trim());
  return scheme === null || ['http', 'https', 'mailto'].includes((scheme[1] as string).toLowerCase());
}

/**
 * Links between the pages are relative (`runbooks/<alert>` from the index, `../runbooks` back),
 * so they also work under a reverse proxy that serves the exporter below a path prefix.
 */
const INDEX_NAME = RUNBOOKS_PATH.replace(/^\//, '');

function backToIndex(): string {
  return `<p><a href="../${INDEX_NAME}">All runbooks</a></p>\n`;
}

/** A whole page: no scripts, no external assets; the few styles are inline, which the route's CSP allows. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
code { background: #f2f4f6; padding: 0.1em 0.3em; border-radius: 3px; }
pre code { display: block; padding: 0.8em; overflow-x: auto; }
</style>
</head>
<body>
${body}</body>
</html>
`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
