import request from 'supertest';
import type { Doc } from './document';
import { objectAt } from './document';
import { demoFeatures } from './demo-spec';
import type { IngestBody } from './response-body';
import type { buildTestExporter } from './test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

/** Error buckets of the test regression model `price`. */
export const PRICE_ERROR_BUCKETS = [0.5, 1, 2, 5];
/** Value buckets of the test regression model `price`. */
export const PRICE_VALUE_BUCKETS = [10, 20, 50];

/**
 * The demo spec with labels on: `fraud` gains a quality section, and an ingest-only regression
 * model `price` (one numeric feature `size`) takes labels too; `extra` edits the result further.
 */
export function withLabels(extra: (spec: Doc) => void = () => undefined): (spec: Doc) => void {
  return (spec) => {
    const models = spec['models'] as Record<string, unknown>[];
    objectAt(models[0])['quality'] = { expected_delay_seconds: 60 };
    models.push({
      name: 'price',
      task: 'regression',
      versions: [{ name: 'v1', weight: 1 }],
      features: [{ name: 'size', type: 'numeric' }],
      value_buckets: PRICE_VALUE_BUCKETS,
      quality: { error_buckets: PRICE_ERROR_BUCKETS },
    });
    extra(spec);
  };
}

/** An ingested fraud prediction with an id. */
export function fraudEvent(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    prediction_id: id,
    model: 'fraud',
    version: 'v1',
    features: demoFeatures(),
    prediction: 'fraud',
    confidence: 0.8,
    ...overrides,
  };
}

/** An ingested price prediction with an id. */
export function priceEvent(id: string, prediction: number): Record<string, unknown> {
  return { prediction_id: id, model: 'price', version: 'v1', features: { size: 3 }, prediction };
}

/** Ingests prediction events; fails unless every one is accepted. */
export async function ingestPredictions(built: Built, events: Record<string, unknown>[]): Promise<void> {
  const res = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
  expect((res.body as IngestBody).rejected).toEqual([]);
}

/** The body of an answered `POST /v1/events/labels`. */
export interface LabelsBody {
  readonly accepted: number;
  readonly duplicates: number;
  readonly unmatched: number;
  readonly rejected: readonly { index: number; reason: string; field: string; message: string }[];
}

/** The value of one sample line of a /metrics text, or undefined when there is none. */
export function sampleOf(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
