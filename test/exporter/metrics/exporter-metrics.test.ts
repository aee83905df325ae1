import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { BASE_LATENCY_BUCKETS_SECONDS } from '../../../spec/src/conventions';
import { createExporterMetrics, latencyBuckets } from '../../../exporter/src/metrics/exporter-metrics';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: m
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
slo: { latency_target_seconds: 0.123, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

describe('latencyBuckets', () => {
  test('the SLO target is inserted in order, so SLO rules can select its le', () => {
    const buckets = latencyBuckets(0.123);
    expect(buckets).toContain(0.123);
    expect(buckets).toHaveLength(BASE_LATENCY_BUCKETS_SECONDS.length + 1);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
  });

  test('a target that already is a bucket is not doubled', () => {
    const existing = BASE_LATENCY_BUCKETS_SECONDS[2] as number;
    expect(latencyBuckets(existing)).toEqual([...BASE_LATENCY_BUCKETS_SECONDS]);
  });
});

describe('createExporterMetrics', () => {
  test('every series the spec allows exists at zero before the first event, and model info is 1', async () => {
    const metrics = createExporterMetrics(SPEC, { defaultMetrics: false });
    const text = await metrics.registry.metrics();
    expect(text).toContain('mlwatch_predictions_total{model="m",version="v1",status="success"} 0\n');
    expect(text).toContain('mlwatch_predictions_total{model="m",version="v1",status="error"} 0\n');
    expect(text).toContain('mlwatch_predicted_class_total{model="m",version="v1",class="yes"} 0\n');
    expect(text).toContain('mlwatch_prediction_latency_seconds_bucket{model="m",version="v1",le="0.123"} 0\n');
    expect(text).toContain('mlwatch_rejected_events_total{reason="unknown_model"} 0\n');
    expect(text).toContain('mlwatch_model_info{model="m",version="v1"} 1\n');
    expect(text).not.toContain('process_cpu');
  });

  test('rejections are counted by reason, one or several at a time', () => {
    const metrics = createExporterMetrics(SPEC, { defaultMetrics: false });
    metrics.reject('unknown_model');
    metrics.reject('batch_too_large', 1000);
    expect(metrics.rejectedCount('unknown_model')).toBe(1);
    expect(metrics.rejectedCount('batch_too_large')).toBe(1000);
    expect(metrics.rejectedCount('unknown_feature')).toBe(0);
  });

  test("prom-client's process metrics are added unless turned off, after the exporter's own", async () => {
    const text = await createExporterMetrics(SPEC).registry.metrics();
    expect(text.indexOf('# HELP process_cpu_user_seconds_total')).toBeGreaterThan(text.indexOf('mlwatch_model_info'));
  });
});
