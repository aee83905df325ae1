import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALERTS } from '../../../spec/src/conventions';
import { escapeHtml, runbookPages } from '../../../exporter/src/runbooks/runbook-pages';
import { REPO_ROOT } from '../../support/demo-spec';

const MARKDOWN = `# Team runbooks

Read this **first**.

## AlertOne

**What it means.** Something \`broke\`.

- check <this> & that
- [the docs](https://example.com/docs?a=1&b=2)

## AlertTwo

<script>alert("x")</script>

Inline <img src="https://tracker.example.com/pixel.gif"> too.

![tracking pixel](https://tracker.example.com/p.gif)
[click me](javascript:alert(1)) [data](data:text/html,hi) [relative](../docs/alerting.md) [mail](mailto:a@example.com)
`;

describe('runbook pages', () => {
  const pages = runbookPages(MARKDOWN);

  test('one page per `## <Alert>` section, in order, found by name in any case; the index lists them under the title', () => {
    expect(pages.alerts).toEqual(['AlertOne', 'AlertTwo']);
    expect(pages.page('alertone')).toBe(pages.page('AlertOne'));
    expect(pages.page('AlertThree')).toBeUndefined();
    expect(pages.index).toContain('<title>Team runbooks</title>');
    expect(pages.index).toContain('<h1>Team runbooks</h1>');
    expect(pages.index).toContain('<strong>first</strong>');
    expect(pages.index).toContain('<li><a href="runbooks/AlertOne">AlertOne</a></li>');
    const one = pages.page('AlertOne') as string;
    expect(one).toContain('<h2>AlertOne</h2>');
    expect(one).toContain('<code>broke</code>');
    expect(one).toContain('check &lt;this&gt; &amp; that');
    expect(one).toContain('<a href="https://example.com/docs?a=1&amp;b=2">the docs</a>');
    expect(one).not.toContain('AlertTwo');
    expect(one).toContain('<a href="../runbooks">All runbooks</a>');
  });

  test('escapes everything: raw HTML shows as text, unsafe link schemes are dropped, images become their alt text, nothing loads from elsewhere', () => {
    const two = pages.page('AlertTwo') as string;
    expect(two).not.toMatch(/<script|<img|href="(javascript|data):/i);
    expect(two).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(two).toContain('Inline &lt;img src=&quot;https://tracker.example.com/pixel.gif&quot;&gt; too.');
    expect(two).toContain('<p>tracking pixel\n');
    expect(two).not.toMatch(/(src|href)="https:\/\/tracker/);
    expect(two).toContain('<a href="#">click me</a>');
    expect(two).toContain('<a href="#">data</a>');
    expect(two).toContain('<a href="../docs/alerting.md">relative</a>');
    expect(two).toContain('<a href="mailto:a@example.com">mail</a>');
    // No external assets: no stylesheet, script or font links at all.
    expect(two).not.toMatch(/<link|<script|@import|url\(/);
  });

  test('the 404 page names the unknown alert, escaped', () => {
    const page = pages.notFound('<b>Nope</b>');
    expect(page).toContain('No runbook for &quot;&lt;b&gt;Nope&lt;/b&gt;&quot;');
    expect(page).not.toContain('<b>');
  });

  test('alerting/runbooks.md has a page for every alert mlwatch generates, and nothing else', () => {
    const real = runbookPages(readFileSync(path.join(REPO_ROOT, 'alerting', 'runbooks.md'), 'utf8'));
    expect([...real.alerts].sort()).toEqual(Object.values(ALERTS).sort());
    for (const alert of real.alerts) expect(real.page(alert)).toContain(`<h2>${alert}</h2>`);
  });

  test('escapeHtml escapes the five characters HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
