import request from 'supertest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALERTS } from '../../../spec/src/conventions';
import { runbookPages } from '../../../exporter/src/runbooks/runbook-pages';
import { REPO_ROOT } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

const runbooks = runbookPages(readFileSync(path.join(REPO_ROOT, 'alerting', 'runbooks.md'), 'utf8'));
/** Auth on for both scopes, as compose and the native stack run the exporter. */
const withTokens = () =>
  buildTestExporter({ env: { MLWATCH_WRITE_TOKEN: 'w'.repeat(32), MLWATCH_READ_TOKEN: 'r'.repeat(32) }, runbooks });

describe('GET /runbooks', () => {
  test.each(Object.values(ALERTS))(
    '/runbooks/%s answers its section as HTML without a token, even with auth on',
    async (alert) => {
      const { app, deps } = withTokens();
      expect(deps.auth.read.size).toBe(1);
      const res = await request(app).get(`/runbooks/${alert}`);
      expect([res.status, res.type]).toEqual([200, 'text/html']);
      expect(res.text).toContain(`<h2>${alert}</h2>`);
      expect(res.text).toContain('<strong>What to do.</strong>');
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  test('/runbooks lists every alert; an alert name in lower case (the old anchor form) finds its page too', async () => {
    const { app } = withTokens();
    const index = await request(app).get('/runbooks');
    expect(index.status).toBe(200);
    // Relative links: from /runbooks, `runbooks/<alert>` is /runbooks/<alert>, also below a proxy's path prefix.
    for (const alert of Object.values(ALERTS)) {
      const href = `runbooks/${alert}`;
      expect(index.text).toContain(`href="${href}"`);
      expect(new URL(href, 'https://example.com/mlwatch/runbooks').pathname).toBe(`/mlwatch/runbooks/${alert}`);
    }
    const slash = await request(app).get('/runbooks/');
    expect([slash.status, new URL(slash.headers['location'] as string, 'http://x/runbooks/').pathname]).toEqual([
      301,
      '/runbooks',
    ]);
    const lower = await request(app).get(`/runbooks/${ALERTS.datasetDrift.toLowerCase()}`);
    expect([lower.status, lower.text.includes(`<h2>${ALERTS.datasetDrift}</h2>`)]).toEqual([200, true]);
  });

  test('an unknown alert is a 404 page that names it, escaped, and counts no rejected event', async () => {
    const { app, deps } = withTokens();
    const res = await request(app).get('/runbooks/%3Cscript%3EMLWatchNope');
    expect([res.status, res.type]).toEqual([404, 'text/html']);
    expect(res.text).toContain('No runbook for &quot;&lt;script&gt;MLWatchNope&quot;');
    expect(res.text).not.toContain('<script>');
    const metrics = await deps.metrics.registry.metrics();
    expect(metrics).not.toMatch(/rejected[a-z_]*\{[^}]*\} [1-9]/);
  });

  test('an exporter without a runbooks file says so with a 404 on both routes, and still needs tokens elsewhere', async () => {
    const { app } = buildTestExporter({ env: { MLWATCH_READ_TOKEN: 'r'.repeat(32) } });
    for (const url of ['/runbooks', `/runbooks/${ALERTS.exporterDown}`]) {
      const res = await request(app).get(url);
      expect([url, res.status, res.text]).toEqual([url, 404, expect.stringContaining('runbooks not available')]);
    }
    expect((await request(app).get('/metrics')).status).toBe(401);
  });
});
