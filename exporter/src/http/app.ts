import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { REJECTION_REASONS, type RejectionReason } from '../../../spec/src/conventions';
import { TokenSet } from '../auth/token-set';
import { createExposition } from '../metrics/exposition';
import { AcceptedPredictionRecorder } from '../serving/accepted-prediction';
import type { AppDeps } from './app-deps';
import { requireToken } from './bearer-auth';
import { driftReportHandler } from './drift-route';
import { HttpError } from './http-error';
import { ingestHandler } from './ingest-route';
import { labelsHandler } from './labels-route';
import { outcomesHandler } from './outcomes-route';
import { performanceHandler } from './performance-route';
import { LabelRecorder } from '../quality/label-recorder';
import { batchBudget } from './batch-budget';
import { BodyBytesInFlight } from './body-bytes-in-flight';
import { bodyParserError, jsonEndpoint, type JsonEndpointLimits, type JsonHandler } from './json-body';
import { predictHandler } from './predict-route';
import { addRunbookRoutes } from './runbooks-route';

const REJECTION_REASON_SET: ReadonlySet<string> = new Set(REJECTION_REASONS);

/** Builds the exporter's HTTP app without listening, so tests drive it in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const readiness = deps.readiness ?? { ready: true };
  const render = createExposition(deps.metrics.registry);
  const { max_body_bytes: maxBodyBytes, max_event_bytes: maxEventBytes } = deps.spec.exporter;
  const inFlightBytes = new BodyBytesInFlight(deps.spec.exporter.max_inflight_body_bytes, maxEventBytes);
  const onOverload = (): void => deps.metrics.overloadRefusals.inc(0);
  // A predict body is one event, so it may spend what one event may.
  const eventLimits: JsonEndpointLimits =
    maxEventBytes < maxBodyBytes
      ? { maxBytes: maxEventBytes, maxBytesSetting: 'exporter.max_event_bytes', inFlightBytes, onOverload }
      : { maxBytes: maxBodyBytes, maxBytesSetting: 'exporter.max_body_bytes', inFlightBytes, onOverload };
  const batchLimits: JsonEndpointLimits = {
    maxBytes: maxBodyBytes,
    maxBytesSetting: 'exporter.max_body_bytes',
    inFlightBytes,
    onOverload,
    batch: batchBudget(deps.spec),
  };
  const endpoint = (limits: JsonEndpointLimits, handler: JsonHandler): RequestHandler =>
    jsonEndpoint(limits, deps.metrics.activeRequests, handler);

  const recorder = new AcceptedPredictionRecorder(deps);
  const labels = new LabelRecorder(deps.metrics.quality, deps.spec.drift.window_size);
  const open = new TokenSet([]);
  const write = requireToken('write', deps.auth?.write ?? open, (scope) => deps.metrics.refuse(scope));
  const read = requireToken('read', deps.auth?.read ?? open, (scope) => deps.metrics.refuse(scope));

  // The hot routes come first: express tries each route's pattern in order. The token is
  // checked before the body is read, so a client without one costs no parsing.
  app.post('/v1/models/:model/predict', write, endpoint(eventLimits, predictHandler(deps, recorder)));
  app.post('/predict', write, endpoint(eventLimits, predictHandler(deps, recorder, deps.catalog.defaultModel)));
  app.post('/v1/events/predictions', write, endpoint(batchLimits, ingestHandler(deps, recorder)));
  app.post('/v1/events/labels', write, endpoint(batchLimits, labelsHandler(deps, labels)));
  app.post('/v1/events/outcomes', write, endpoint(batchLimits, outcomesHandler(deps)));
  app.get('/v1/models/:model/drift', read, driftReportHandler(deps));
  app.get('/v1/models/:model/performance', read, performanceHandler(deps, labels));
  app.get('/metrics', read, async (req, res) => {
    const exposition = await render(req.headers.accept);
    res.type(exposition.contentType).send(exposition.body);
  });
  addRunbookRoutes(app, deps.runbooks);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not ready' });
  });

  app.use((req, _res, next) => {
    next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps));
  return app;
}

/** Turns every error into a JSON response; client errors are counted by reason, others logged. */
function errorHandler(deps: AppDeps): ErrorRequestHandler {
  // Express tells an error handler by its four parameters, so the unused `next` stays.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, req, res, _next) => {
    const httpError =
      error instanceof HttpError
        ? error
        : (bodyParserError(error) ??
          pathError(error, req.originalUrl) ??
          new HttpError(500, 'internal_error', 'internal error', undefined, { cause: error }));
    if (REJECTION_REASON_SET.has(httpError.code)) {
      // A read sends no events: its mistakes are counted apart, so a bad query cannot drive the rejection alert.
      if (req.method === 'GET' || req.method === 'HEAD') deps.metrics.rejectRead(httpError.code as RejectionReason);
      else deps.metrics.reject(httpError.code as RejectionReason, httpError.rejectedEvents);
    }
    if (httpError.status >= 500)
      deps.logger?.error({ err: httpError.cause ?? httpError, path: req.path }, httpError.message);
    if (res.headersSent) return;
    res.status(httpError.status).json(httpError.toJSON());
  };
}

/** The router's error for a path parameter that is not valid percent-encoding (`/v1/models/%ZZ/drift`). */
function pathError(error: unknown, url: string): HttpError | undefined {
  if (!(error instanceof URIError)) return undefined;
  return new HttpError(
    400,
    'malformed_path',
    `path: ${JSON.stringify(url.slice(0, 200))} is not valid percent-encoding`,
    'path',
    {
      cause: error,
    },
  );
}
