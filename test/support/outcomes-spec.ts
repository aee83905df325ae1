import request from 'supertest';
import { modelNamed } from './demo-spec';
import type { Doc } from './document';
import { withLabels, type LabelsBody } from './labels-spec';
import type { buildTestExporter } from './test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

/**
 * The demo spec with labels (labels-spec.ts) and outcomes: `fraud` keeps its declared `checkout`
 * and `chargeback` (values in EUR) and gains `click`, declared without a value; the regression
 * model `price` takes labels but no outcomes. `extra` edits the result further.
 */
export function withOutcomes(extra: (spec: Doc) => void = () => undefined): (spec: Doc) => void {
  return withLabels((spec) => {
    const outcomes = modelNamed(spec, 'fraud')['outcomes'] as { events: Record<string, unknown> };
    outcomes.events['click'] = { description: 'The customer opened the receipt.' };
    extra(spec);
  });
}

/** The body of an answered `POST /v1/events/outcomes`: as the label route's. */
export type OutcomesBody = LabelsBody;

/** Posts outcome events and expects `status`. */
export async function postOutcomes(built: Pick<Built, 'app'>, events: unknown[], status = 200): Promise<OutcomesBody> {
  const res = await request(built.app).post('/v1/events/outcomes').send({ events }).expect(status);
  return res.body as OutcomesBody;
}

/** The /metrics text of an exporter. */
export async function metricsText(built: Pick<Built, 'app'>): Promise<string> {
  return (await request(built.app).get('/metrics').expect(200)).text;
}
