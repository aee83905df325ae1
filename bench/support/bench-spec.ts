/**
 * The ingest figure's workload: a 20-feature credit-risk model (14 numeric, 2 nullable
 * numeric, 4 categorical with 6 categories each, two versions, no artifacts) and a
 * seeded generator of realistic, valid prediction events for it. The model has a
 * reference sample from the same generator, so the exporter builds a profile at start and
 * ingest runs with drift on: numeric fleet bins, windows and the drift monitor.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { Random } from '../../cli/src/demo/random';

/** Model name in the bench spec and in every event. */
export const BENCH_MODEL = 'credit_risk';
const CLASSES = ['repaid', 'default'] as const;
const VERSIONS = [
  { name: 'v1', weight: 0.9 },
  { name: 'v2', weight: 0.1 },
];
/** Share of events that report a failed prediction (no output). */
const ERROR_RATE = 0.02;
/** Share of categorical values outside the spec's list: valid data, counted as `__other__`. */
const UNSEEN_CATEGORY_RATE = 0.005;
/** Event times start here and advance ~50 ms per event. */
const BASE_TIME_MS = Date.parse('2025-06-02T09:00:00Z');
/** Rows of the reference sample: the size of the demo's, enough for exact deciles and the auto test choice. */
const REFERENCE_ROWS = 5000;
/** A seed of its own, so the reference is not the request body the figure sends. */
const REFERENCE_SEED = 20250601;
/** File name of the reference sample, next to the spec. */
const REFERENCE_FILE = 'bench-reference.csv';

type Draw = (r: Random) => number;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round = (x: number, decimals: number): number => Number(x.toFixed(decimals));

/** Numeric features that are always present, with how to draw a plausible value. */
const NUMERIC: ReadonlyArray<[string, Draw]> = [
  ['annual_income', (r) => round(r.lognormal(10.9, 0.5), 0)],
  ['loan_amount', (r) => round(r.lognormal(9.4, 0.7), 0)],
  ['loan_term_months', (r) => r.choice([12, 24, 36, 48, 60])],
  ['interest_rate', (r) => round(clamp(r.normal(11, 3.5), 3, 30), 2)],
  ['debt_to_income', (r) => round(clamp(r.normal(0.32, 0.12), 0, 1.5), 3)],
  ['credit_utilization', (r) => round(clamp(r.normal(0.35, 0.2), 0, 1), 3)],
  ['open_accounts', (r) => r.poisson(7)],
  ['delinquencies_2y', (r) => r.poisson(0.3)],
  ['inquiries_6m', (r) => r.poisson(1.2)],
  ['age_years', (r) => Math.round(clamp(r.normal(42, 12), 19, 85))],
  ['employment_years', (r) => round(r.exponential(6), 1)],
  ['monthly_spend', (r) => round(r.lognormal(7.5, 0.6), 2)],
  ['savings_balance', (r) => round(r.lognormal(8.5, 1.2), 2)],
  ['payment_to_income', (r) => round(clamp(r.normal(0.12, 0.05), 0, 1), 3)],
];

/** Nullable numeric features: [name, draw, P(null), P(absent)]. */
const NULLABLE: ReadonlyArray<[string, Draw, number, number]> = [
  ['credit_score', (r) => Math.round(clamp(r.normal(690, 60), 300, 850)), 0.08, 0.03],
  // Most applicants were never delinquent, so this one is usually null.
  ['months_since_last_delinquency', (r) => Math.round(r.exponential(30)), 0.6, 0.05],
];

/** Categorical features with their six known categories and the weights real traffic has. */
const CATEGORICAL: ReadonlyArray<[string, readonly string[], readonly number[]]> = [
  [
    'home_ownership',
    ['rent', 'own', 'mortgage', 'living_with_family', 'company_housing', 'other'],
    [38, 14, 36, 7, 2, 3],
  ],
  [
    'loan_purpose',
    ['debt_consolidation', 'home_improvement', 'car', 'education', 'medical', 'small_business'],
    [45, 15, 18, 9, 6, 7],
  ],
  [
    'employment_type',
    ['salaried', 'self_employed', 'contractor', 'retired', 'student', 'unemployed'],
    [62, 12, 10, 9, 5, 2],
  ],
  ['region', ['north', 'south', 'east', 'west', 'central', 'overseas'], [21, 24, 17, 19, 16, 3]],
];

/**
 * Writes the bench spec to `dir/bench.yaml` and its reference sample to `dir/bench-reference.csv`:
 * ingest-only, drift on, log file in `dir`, stdout logging off; returns the spec's path.
 */
export function writeBenchSpec(dir: string, maxBatchEvents: number): string {
  writeReferenceCsv(path.join(dir, REFERENCE_FILE));
  const spec = {
    service: { name: 'bench-ingest', description: 'Batch ingest benchmark (bench/http-bench.ts).' },
    exporter: { port: 9420, max_batch_events: maxBatchEvents, max_body_bytes: 16 * 1024 * 1024 },
    logging: {
      file: path.join(dir, 'logs', 'ingest.jsonl'),
      stdout: false,
      sample_rate: { predict: 1.0, ingest: 0.01 },
      redact: [],
    },
    models: [
      {
        name: BENCH_MODEL,
        description: 'Probability that a loan defaults (benchmark).',
        task: 'binary_classification',
        classes: [...CLASSES],
        versions: VERSIONS,
        reference: REFERENCE_FILE,
        features: [
          ...NUMERIC.map(([name]) => ({ name, type: 'numeric' })),
          ...NULLABLE.map(([name]) => ({ name, type: 'numeric', nullable: true })),
          ...CATEGORICAL.map(([name, categories]) => ({ name, type: 'categorical', categories: [...categories] })),
        ],
      },
    ],
    // The spec's defaults, except an evaluation every 5 s instead of 15 s, so every timed run of the figure has some.
    drift: { window_size: 2000, min_samples: 1000, evaluation_interval_seconds: 5 },
    slo: { latency_target_seconds: 0.25, latency_objective_percent: 99, availability_objective_percent: 99.9 },
    alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.75, rejected_events_per_second: 1 },
  };
  const file = path.join(dir, 'bench.yaml');
  writeFileSync(
    file,
    `# Generated by bench/support/bench-spec.ts for the ingest benchmark.\n${yaml.dump(spec, { lineWidth: 200 })}`,
  );
  return file;
}

/** `count` valid, varied prediction events for the bench model; the same seed gives the same events. */
export function benchEvents(count: number, seed: number): Record<string, unknown>[] {
  const r = new Random(seed);
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const features = benchFeatures(r);
    const version = r.bernoulli((VERSIONS[0] as { weight: number }).weight) ? 'v1' : 'v2';
    const event: Record<string, unknown> = { prediction_id: uuidLike(r), model: BENCH_MODEL, version, features };
    if (r.bernoulli(ERROR_RATE)) {
      event['status'] = 'error';
    } else {
      const pDefault = defaultProbability(features);
      event['prediction'] = pDefault >= 0.5 ? CLASSES[1] : CLASSES[0];
      event['confidence'] = round(Math.max(pDefault, 1 - pDefault), 4);
    }
    event['latency_ms'] = round(r.lognormal(1.2, 0.5), 3);
    event['timestamp'] = new Date(BASE_TIME_MS + i * 50 + r.int(0, 49)).toISOString();
    events.push(event);
  }
  return events;
}

/**
 * The reference sample as CSV: the generator's feature values plus `prediction` and `confidence`
 * (so output drift is on too); null or absent values and failed predictions are empty cells.
 */
function writeReferenceCsv(file: string): void {
  const events = benchEvents(REFERENCE_ROWS, REFERENCE_SEED);
  const columns = [
    ...NUMERIC.map(([name]) => name),
    ...NULLABLE.map(([name]) => name),
    ...CATEGORICAL.map(([name]) => name),
  ];
  const cell = (value: unknown): string =>
    typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? String(value) : '';
  const lines = [[...columns, 'prediction', 'confidence'].join(',')];
  for (const event of events) {
    const features = event['features'] as Record<string, unknown>;
    lines.push(
      [...columns.map((name) => cell(features[name])), cell(event['prediction']), cell(event['confidence'])].join(','),
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function benchFeatures(r: Random): Record<string, number | string | null> {
  const features: Record<string, number | string | null> = {};
  for (const [name, draw] of NUMERIC) features[name] = draw(r);
  for (const [name, draw, pNull, pAbsent] of NULLABLE) {
    const u = r.next();
    if (u < pNull) features[name] = null;
    else if (u >= pNull + pAbsent) features[name] = draw(r);
    // Otherwise the key is left out: a nullable feature may also be absent.
  }
  for (const [name, categories, weights] of CATEGORICAL) {
    features[name] = r.bernoulli(UNSEEN_CATEGORY_RATE)
      ? `${name}_unseen_${r.int(1, 3)}`
      : r.weighted(categories, weights);
  }
  return features;
}

/** A toy score so that predictions and confidences move with the inputs like a real model's. */
function defaultProbability(f: Record<string, number | string | null>): number {
  const num = (key: string, fallback: number): number => (typeof f[key] === 'number' ? f[key] : fallback);
  const z =
    -2.2 +
    5 * (num('debt_to_income', 0.32) - 0.32) +
    0.012 * (690 - num('credit_score', 690)) +
    0.6 * num('delinquencies_2y', 0) +
    2 * (num('credit_utilization', 0.35) - 0.35);
  return 1 / (1 + Math.exp(-z));
}

/** A random RFC 4122 version-4 shaped id from the seeded stream, so bodies are reproducible. */
function uuidLike(r: Random): string {
  const hex = Array.from({ length: 4 }, () => r.nextUint32().toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
