/**
 * Baseline server for the predict-overhead figure: express 5 serving the demo model
 * with no monitoring at all. Same artifacts, same 0.9/0.1 version split, same
 * response fields as the exporter's predict route, so the difference is the monitoring.
 *
 * Usage: node bare-express.js <port> <v1 artifact> <v2 artifact>
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { loadLogisticModel } from '../../exporter/src/model/logistic-model';
import type { FeatureRow } from '../../spec/src/model-types';

/** Share of requests v1 gets, as in mlwatch.yaml. */
const V1_WEIGHT = 0.9;

function main(): void {
  const [portText, v1File, v2File] = process.argv.slice(2);
  if (portText === undefined || v1File === undefined || v2File === undefined) {
    throw new Error('usage: bare-express.js <port> <v1 artifact> <v2 artifact>');
  }
  const v1 = loadLogisticModel(v1File);
  const v2 = loadLogisticModel(v2File);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready' });
  });
  // The same route shape as the exporter's API: routing by model is the service's job, not monitoring's.
  app.post('/v1/models/:model/predict', express.json(), (req, res) => {
    const started = process.hrtime.bigint();
    if (req.params.model !== v1.model) {
      res.status(404).json({ error: 'unknown model' });
      return;
    }
    const model = Math.random() < V1_WEIGHT ? v1 : v2;
    const features = (req.body as { features: FeatureRow }).features;
    const prediction = model.predict(features);
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    res.json({
      prediction_id: randomUUID(),
      model: model.model,
      version: model.version,
      class: prediction.label,
      confidence: prediction.confidence,
      probabilities: prediction.probabilities,
      latency_ms: latencyMs,
    });
  });
  const server = app.listen(Number(portText), '127.0.0.1');
  server.once('error', (error) => {
    console.error(`bare express cannot listen on 127.0.0.1:${portText}: ${error.message}`);
    process.exit(1);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

main();
