import type { Express, Response } from 'express';
import { RUNBOOKS_PATH } from '../../../spec/src/conventions';
import type { RunbookPages } from '../runbooks/runbook-pages';

/**
 * The pages may show nothing but themselves: no scripts, no frames, nothing loaded from
 * elsewhere; only the inline style block of the page.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /runbooks` (the index) and `GET /runbooks/<alert>` (one alert's section), open without
 * a token: alerts link here from Slack, e-mail and PagerDuty, and a runbook holds no data.
 * An unknown alert, or an exporter that found no runbooks file, answers a 404 page that says so.
 */
export function addRunbookRoutes(app: Express, runbooks: RunbookPages | undefined): void {
  app.get(RUNBOOKS_PATH, (req, res) => {
    // `/runbooks/` would resolve the index's relative links one level too deep.
    if (req.path.endsWith('/')) res.redirect(301, `../${RUNBOOKS_PATH.replace(/^\//, '')}`);
    else if (runbooks === undefined) sendUnavailable(res);
    else sendPage(res, 200, runbooks.index);
  });
  app.get(`${RUNBOOKS_PATH}/:alert`, (req, res) => {
    const alert = req.params.alert;
    if (runbooks === undefined) sendUnavailable(res);
    else {
      const page = runbooks.page(alert);
      if (page === undefined) sendPage(res, 404, runbooks.notFound(alert));
      else sendPage(res, 200, page);
    }
  });
}

function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    })
    .type('html')
    .send(html);
}

function sendUnavailable(res: Response): void {
  res
    .status(404)
    .set({ 'x-content-type-options': 'nosniff' })
    .type('text')
    .send('runbooks not available: this exporter found no alerting/runbooks.md to serve\n');
}
