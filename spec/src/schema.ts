import { z } from 'zod';
import { authSchema } from './auth-schema';
import { DEFAULT_EXPORTER_PORT, OTHER_CATEGORY, SEVERITIES } from './conventions';
import { DRIFT_TESTS, driftTestChoiceError } from './drift-tests';

/** Names that end up in URLs and label values: letters, digits, `_`, `.` and `-`. */
const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'expected a name of letters, digits, "_", "." or "-" starting with a letter');
/** Feature names are also JSON keys and CSV headers: keep them identifiers. */
const featureName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier (letters, digits, "_")')
  // Rows are plain objects: a feature called "constructor" would read Object.prototype.
  .refine((value) => !(value in Object.prototype), {
    error: 'reserved name (a property of every JavaScript object)',
  });
/** Fraction in [0, 1], such as a sampling rate or a traffic weight. */
const fraction = z.number().min(0).max(1);
/** Percentage strictly between 0 and 100, such as an SLO objective. */
const objectivePercent = z.number().gt(0).lt(100);

export const featureSchema = z.strictObject({
  name: featureName,
  type: z.enum(['numeric', 'categorical']),
  /** A nullable feature may be missing or null; that is counted per feature rather than rejected. */
  nullable: z.boolean().default(false),
  /** Known categories of a categorical feature; anything else is recorded as `__other__`. */
  categories: z.array(z.string().min(1)).min(1).optional(),
  /** Drift test for this feature; `auto` chooses by type, cardinality and reference size (docs/drift.md). */
  drift_test: z.enum([...DRIFT_TESTS, 'auto']).default('auto'),
  description: z.string().optional(),
});

export const versionSchema = z.strictObject({
  name,
  /** Share of traffic the predict endpoint routes to this version when the request names none. */
  weight: fraction,
  /** Path to the model artifact, relative to the spec file; a version without one only accepts ingested events. */
  artifact: z.string().min(1).optional(),
});

/** An increasing list of histogram bucket bounds. */
const buckets = z
  .array(z.number().refine(Number.isFinite, 'expected a finite number'))
  .min(1)
  .max(40)
  .refine((bounds) => bounds.every((b, i) => i === 0 || b > (bounds[i - 1] as number)), {
    error: 'expected strictly increasing bucket bounds',
  });

/** A floor on a recall, per protected class. */
export const protectedClassSchema = z.strictObject({
  /** Realised recall of this class below this is a warning (once the window holds `min_labels`). */
  recall_floor: fraction,
});

/**
 * Ground truth for one model: labels joined to predictions (POST /v1/events/labels), realised and
 * estimated quality as counters, and the alerts on them. Present means the model gets labels.
 */
export const qualitySchema = z.strictObject({
  /**
   * Seconds within which labels normally arrive: label coverage divides the labels of a window by
   * the predictions of the same window this long earlier, and the coverage alert waits this long.
   */
  expected_delay_seconds: z.number().min(0).max(31_536_000).default(3600),
  /** Labels a window must hold before a realised-quality alert may fire. */
  min_labels: z.number().int().min(1).default(100),
  /** Windows of the quality recording rules; the first is the one the alerts judge. */
  windows_seconds: z.array(z.number().positive().max(31_536_000)).min(1).max(4).default([3600, 86400]),
  /** Classification: realised accuracy below this is a warning. */
  accuracy_floor: fraction.optional(),
  /** Classification: accuracy estimated from the predicted probabilities below this (needs no labels). */
  estimated_accuracy_floor: fraction.optional(),
  /** Classification: estimated and realised accuracy of the same labelled predictions further apart than this. */
  max_estimate_gap: fraction.optional(),
  /** Labels per prediction old enough to have one below this, for longer than the expected delay: the label pipeline broke. */
  coverage_floor: fraction.optional(),
  /** Classification: classes whose recall must not fall, e.g. `{fraud: {recall_floor: 0.6}}`. */
  protected_classes: z.record(z.string().min(1).describe('class'), protectedClassSchema).default({}),
  /** Regression: mean absolute error above this is a warning. */
  mae_ceiling: z.number().positive().optional(),
  /** Regression: root mean squared error above this is a warning. */
  rmse_ceiling: z.number().positive().optional(),
  /** Regression: bounds of the absolute-error histogram (`mlwatch_regression_absolute_error`). */
  error_buckets: buckets.optional(),
});

/** One business event a prediction can lead to, e.g. `click`, or `purchase` with a value. */
export const outcomeEventSchema = z.strictObject({
  /** The event carries an amount (`value`, required and finite), summed in `mlwatch_outcome_value_total`. */
  value: z.boolean().default(false),
  /** ISO 4217 code of the value's currency (e.g. `EUR`); shown in dashboards and alert text. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code like EUR')
    .optional(),
  description: z.string().optional(),
});

/**
 * Business outcomes of one model's predictions (POST /v1/events/outcomes): outcome and value counters
 * per version, rates per prediction, trends and week-over-week alerts. Present means the model gets outcomes.
 */
export const outcomesSchema = z.strictObject({
  /** The events declared, by name (letters, digits, `_`): any other event name is refused. */
  events: z
    .record(featureName.describe('event'), outcomeEventSchema)
    .refine((events) => Object.keys(events).length > 0, {
      error: 'declare at least one event',
    }),
  /**
   * Seconds within which an outcome normally follows its prediction: rates divide the outcomes of a
   * window by the predictions of the same window this long earlier.
   */
  attribution_delay_seconds: z.number().min(0).max(31_536_000).default(0),
  /**
   * Windows of the outcome recording rules; the first is the one the alerts and the canary judge,
   * the later ones smooth it (moving averages of the first window's rate over each).
   */
  windows_seconds: z.array(z.number().positive().max(31_536_000)).min(1).max(4).default([3600, 86400]),
  /** The event whose rate is the conversion rate (alerts, canary); default: the first declared. */
  conversion_event: featureName.optional(),
  /** The event whose value per prediction the value alert watches; default: the first declared with a value. */
  value_event: featureName.optional(),
  /** Conversion rate down more than this share against the same window one week earlier is a warning. */
  conversion_drop_share: fraction.optional(),
  /** Value per prediction down more than this share against the same window one week earlier is a warning. */
  value_drop_share: fraction.optional(),
  /** Predictions the window must hold, now and one week earlier, before a week-over-week alert may fire. */
  min_predictions: z.number().int().min(1).default(500),
});

/**
 * A canary: the candidate version judged against the baseline on error rate, conversion rate (when
 * the model has outcomes) and accuracy (when labelled), by a one-sided two-proportion z test.
 */
export const canarySchema = z.strictObject({
  baseline: name,
  candidate: name,
  /** One-sided significance level of each evaluation; the critical value is computed at generation. */
  level: z.number().gt(0).max(0.5).default(0.01),
  /** Predictions (and, for accuracy, labels) each version needs in the window before the alert may fire. */
  min_volume: z.number().int().min(1).default(1000),
  /** Window of the comparison. */
  window_seconds: z.number().positive().max(31_536_000).default(3600),
});

export const modelSchema = z.strictObject({
  name,
  description: z.string().optional(),
  task: z.enum(['binary_classification', 'multiclass_classification', 'regression']),
  classes: z.array(z.string().min(1)).min(2).optional(),
  versions: z.array(versionSchema).min(1),
  features: z.array(featureSchema).min(1),
  /** Training sample (CSV or JSONL) the drift engine compares live inputs with, relative to the spec file. */
  reference: z.string().min(1).optional(),
  /** Lets requests ask the demo model for delays and failures (header `x-mlwatch-fault`); for demos and tests only. */
  fault_injection: z.boolean().default(false),
  /** Regression: bounds of the `mlwatch_prediction_value` histogram; default: the reference's output deciles, else a decade ladder. */
  value_buckets: buckets.optional(),
  /** Ground-truth labels and the quality they measure; absent, the model gets no label metrics, rules or alerts. */
  quality: qualitySchema.optional(),
  /** Business outcomes (clicks, conversions, purchases); absent, the model gets no outcome metrics, rules or alerts. */
  outcomes: outcomesSchema.optional(),
  /** A candidate version judged against a baseline; absent, no canary rules or alert. */
  canary: canarySchema.optional(),
});

export const loggingSchema = z.strictObject({
  /** JSONL file the prediction log is appended to, relative to the spec file; null turns the file off. */
  file: z.string().min(1).nullable().default('logs/predictions.jsonl'),
  stdout: z.boolean().default(true),
  /**
   * Fraction of predictions logged, per source. A logged line costs about as much as
   * the rest of the monitoring together, so served predictions default to 10%
   * (1.0 makes an audit log of every one) and batch-ingested events to 1%.
   */
  sample_rate: z
    .strictObject({ predict: fraction.default(0.1), ingest: fraction.default(0.01) })
    .default({ predict: 0.1, ingest: 0.01 }),
  /** Paths in the log line to censor, e.g. `input.email` (pino redaction syntax). */
  redact: z.array(z.string().min(1)).default([]),
  /**
   * Bytes of lines each destination (file, stdout) may hold while its writes are slow; a
   * line that does not fit is dropped and counted. It is also the most a kill -9 can lose.
   * One ingest batch is buffered before any of it is written: with `sample_rate.ingest` near
   * 1, make it hold the lines of the largest batch.
   */
  buffer_bytes: z
    .number()
    .int()
    .min(16 * 1024)
    .max(1024 * 1024 * 1024)
    .default(1024 * 1024),
  /** Buffered lines are written at least this often (seconds), and whenever 8 KiB are waiting. */
  flush_interval_seconds: z.number().positive().max(60).default(0.2),
  /** String values longer than this (characters) are cut in the log line, marked and counted. */
  max_string_length: z.number().int().min(16).default(1024),
});

/** Where the exporter keeps the state it restores after a restart: drift windows and their latest verdicts. */
export const stateSchema = z.strictObject({
  /** Directory of the snapshot files, relative to the spec file; null keeps no snapshots (windows start empty). */
  dir: z.string().min(1).nullable().default('state'),
  /** Seconds between snapshots; a final one is written at shutdown, so kill -9 loses at most this much. */
  snapshot_interval_seconds: z.number().positive().max(86_400).default(60),
});

export const exporterSchema = z.strictObject({
  port: z.number().int().min(1).max(65535).default(DEFAULT_EXPORTER_PORT),
  /**
   * Address `serve` listens on: loopback unless said otherwise (`0.0.0.0` for every interface).
   * Beyond loopback the write scope needs a token, or `auth.allow_unauthenticated: true`.
   */
  host: z.string().min(1).default('127.0.0.1'),
  /** Largest number of events one ingest request may carry. */
  max_batch_events: z.number().int().min(1).max(1_000_000).default(10_000),
  /** Largest request body accepted, in bytes; batches of 1000 wide events are a few MB. */
  max_body_bytes: z
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /**
   * The prediction ids the exporter remembers, so a retried event (same `prediction_id`) is counted
   * once. About 70 bytes of memory per id when it is a UUID or has at most 16 Latin-1 characters (66 at
   * 1,000,000 ids; bench:labels figure 2 measures 109 bytes of RSS per id there, the process's own
   * growth included); any other id is kept as a string besides, about 60-80 bytes more. The oldest id leaves first.
   */
  recent_ids: z
    .strictObject({
      /** Ids kept at most; 0 remembers none (no deduplication). 100,000 UUID ids take about 7 MB. */
      capacity: z.number().int().min(0).max(10_000_000).default(100_000),
      /** Seconds an id is kept at most; null keeps it until capacity pushes it out. */
      max_age_seconds: z.number().positive().max(31_536_000).nullable().default(null),
    })
    .default({ capacity: 100_000, max_age_seconds: null }),
  /**
   * Bytes one event may spend: a predict body is one event, and an ingest batch may average no more
   * per event (so a batch of n events is refused past n × this, before it is parsed).
   */
  max_event_bytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  /**
   * Bytes of request bodies being read, parsed and handled at once, across requests: a new body that
   * would pass it gets 503 with Retry-After before it is read. At least max_body_bytes.
   */
  max_inflight_body_bytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
});

/**
 * Where a label (and, later, an outcome) finds the prediction it belongs to. `memory`: this
 * exporter's recent-id store, for one replica; `redis`: a store every replica shares, for
 * several behind a load balancer (a label usually reaches another replica than its prediction).
 */
export const joinsSchema = z.strictObject({
  store: z.enum(['memory', 'redis']).default('memory'),
  /**
   * Predictions kept for joining at most (memory store; with labels on, the recent-id store keeps
   * the larger of this and exporter.recent_ids.capacity). About 70 bytes each (UUID ids: 66 in the
   * store's arrays at 1,000,000, 109 bytes of RSS in bench:labels figure 2).
   */
  capacity: z.number().int().min(0).max(50_000_000).default(1_000_000),
  /** Seconds a prediction can still be labelled; both stores forget it after this (Redis keys expire). */
  ttl_seconds: z.number().positive().max(31_536_000).default(604_800),
  redis: z
    .strictObject({
      /** redis://[user:password@]host:port[/db]; prefer `url_env` so the password stays out of the spec. */
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'expected a URL like redis://localhost:6379')
        .optional(),
      /** Environment variable holding the URL; read when `url` is not set. */
      url_env: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/)
        .default('MLWATCH_REDIS_URL'),
      /** Prefix of every key mlwatch writes, so one Redis can serve several stacks. */
      key_prefix: z.string().min(1).max(64).default('mlwatch:'),
    })
    .default({ url_env: 'MLWATCH_REDIS_URL', key_prefix: 'mlwatch:' }),
});

export const sloSchema = z.strictObject({
  /** A prediction slower than this (seconds) counts against the latency SLO; it is an exact histogram bucket. */
  latency_target_seconds: z.number().positive().max(10),
  latency_objective_percent: objectivePercent,
  availability_objective_percent: objectivePercent,
  /**
   * Predictions a burn-rate alert needs in its long window before it may fire: below it one failed
   * request in a quiet hour is already a huge ratio. At a 99.9% objective and the 14.4x page, one
   * failure among fewer than 70 predictions would page; 100 makes it take two.
   */
  min_events: z.number().int().min(1).default(100),
});

/** Severity an alert is generated with; `critical` pages, `warning` opens a ticket, `info` is not routed. */
const severity = z.enum(SEVERITIES);
/** A `for:` duration in seconds: how long a condition must hold before its alert fires. */
const forSeconds = z.number().min(0);

/** How long each alert's condition must hold before it fires (production; the fast profile divides by 60). */
export const alertDurationsSchema = z.strictObject({
  exporter_down: forSeconds.default(120),
  no_predictions: forSeconds.default(600),
  burn_rate_critical: forSeconds.default(120),
  burn_rate_warning: forSeconds.default(900),
  latency_p99: forSeconds.default(600),
  feature_drift: forSeconds.default(900),
  dataset_drift: forSeconds.default(900),
  fleet_drift: forSeconds.default(1800),
  output_drift: forSeconds.default(900),
  confidence_drop: forSeconds.default(900),
  rejected_events: forSeconds.default(600),
  high_memory: forSeconds.default(900),
  event_loop_lag: forSeconds.default(600),
  /** A failed reload leaves the exporter on its previous spec; give the operator time to fix the file first. */
  reload_failed: forSeconds.default(600),
  prediction_log_loss: forSeconds.default(60),
  accuracy_low: forSeconds.default(900),
  class_recall_low: forSeconds.default(900),
  regression_error_high: forSeconds.default(900),
  estimated_accuracy_low: forSeconds.default(900),
  estimate_divergence: forSeconds.default(1800),
  conversion_drop: forSeconds.default(1800),
  value_drop: forSeconds.default(1800),
  canary_worse: forSeconds.default(600),
});

/** Severity of each single-severity alert; burn-rate alerts always have both a critical and a warning form. */
export const alertSeveritiesSchema = z.strictObject({
  exporter_down: severity.default('critical'),
  no_predictions: severity.default('critical'),
  latency_p99: severity.default('warning'),
  feature_drift: severity.default('warning'),
  dataset_drift: severity.default('critical'),
  fleet_drift: severity.default('warning'),
  prediction_drift: severity.default('warning'),
  confidence_drift: severity.default('info'),
  confidence_drop: severity.default('warning'),
  rejected_events: severity.default('warning'),
  high_memory: severity.default('warning'),
  event_loop_lag: severity.default('warning'),
  reload_failed: severity.default('warning'),
  prediction_log_loss: severity.default('warning'),
  accuracy_low: severity.default('warning'),
  class_recall_low: severity.default('warning'),
  regression_error_high: severity.default('warning'),
  label_coverage_low: severity.default('warning'),
  estimated_accuracy_low: severity.default('warning'),
  estimate_divergence: severity.default('warning'),
  conversion_drop: severity.default('warning'),
  value_drop: severity.default('warning'),
  canary_worse: severity.default('critical'),
});

export const alertsSchema = z.strictObject({
  /** p99 prediction latency above this many seconds is a warning. */
  latency_p99_seconds: z.number().positive(),
  /** Mean confidence below this is a warning: the model is unsure of what it sees. */
  mean_confidence_floor: fraction,
  /** Rejected events per second above this mean a client is sending bad data. */
  rejected_events_per_second: z.number().min(0),
  /** Resident memory of one exporter process above this many bytes. */
  memory_bytes: z
    .number()
    .positive()
    .default(1024 * 1024 * 1024),
  /** p99 event-loop lag of one exporter process above this many seconds: requests queue behind something. */
  event_loop_lag_seconds: z.number().positive().default(0.5),
  for_seconds: alertDurationsSchema.default(alertDurationsSchema.parse({})),
  severity: alertSeveritiesSchema.default(alertSeveritiesSchema.parse({})),
});

/** Timing of the Prometheus that scrapes the exporters; rule windows must span at least two scrapes. */
export const prometheusSchema = z.strictObject({
  scrape_interval_seconds: z.number().positive().default(15),
  evaluation_interval_seconds: z.number().positive().default(15),
  /**
   * File holding a read token, as Prometheus sees it (a Docker secret): the generated scrape job
   * of the exporters sends it as a bearer token. Needed when `auth.read` has tokens.
   */
  credentials_file: z
    .string()
    .regex(/^\//, 'expected an absolute path, as Prometheus sees it (e.g. /run/secrets/mlwatch_read_token)')
    .optional(),
});

/** A file as Alertmanager reads it (a Docker secret): secrets live in files, never in the spec. */
const alertmanagerFile = (example: string) =>
  z.string().regex(/^\//, `expected an absolute path, as Alertmanager sees it (e.g. ${example})`);

/** An absolute http(s) URL, as a browser or a receiver opens it. */
const httpUrl = (example: string) =>
  z.string().refine(isHttpUrl, {
    error: (issue) => `expected an absolute http(s) URL like ${example}, got ${JSON.stringify(issue.input)}`,
  });

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** One address or a comma-separated list, as Alertmanager's `to` takes them. */
const emailAddresses = z
  .string()
  .regex(
    /^[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*$/,
    'expected an address like oncall@example.com, or a comma-separated list',
  );

/** A receiver for each routed severity; a severity left out is sent nowhere by that integration. */
const perSeverity = <T extends z.ZodType>(receiver: T) =>
  z.strictObject({ critical: receiver.optional(), warning: receiver.optional() });

/** One Slack incoming webhook: bound to one channel by Slack, so each receiver has its own. */
export const slackReceiverSchema = z.strictObject({
  channel: z.string().regex(/^[#@][^\s]+$/, 'expected a channel like "#ml-alerts" or a user like "@alice"'),
  /** File holding the webhook URL, as Alertmanager sees it (a Docker secret); never the URL itself. */
  webhook_file: alertmanagerFile('/run/secrets/slack_oncall_webhook'),
});

/** E-mail through one SMTP server; each routed severity names its recipients. */
export const emailSchema = z
  .strictObject({
    /** The SMTP server as host:port. */
    smarthost: z.string().regex(/^[^\s:/]+:\d+$/, 'expected host:port, like smtp.example.com:587'),
    from: emailAddresses,
    auth_username: z.string().min(1).optional(),
    /** File holding the SMTP password (Alertmanager 0.25's `auth_password_file`); never the password itself. */
    auth_password_file: alertmanagerFile('/run/secrets/smtp_password').optional(),
    /** STARTTLS before authenticating; off only for a relay on a trusted network. */
    require_tls: z.boolean().default(true),
    critical: z.strictObject({ to: emailAddresses }).optional(),
    warning: z.strictObject({ to: emailAddresses }).optional(),
  })
  .superRefine((email, ctx) => {
    // Alertmanager authenticates only with both; one alone is a half-done configuration.
    if ((email.auth_username === undefined) !== (email.auth_password_file === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [email.auth_username === undefined ? 'auth_username' : 'auth_password_file'],
        message: 'required: auth_username and auth_password_file go together (SMTP authentication needs both)',
      });
  });

/** A PagerDuty Events API v2 integration per routed severity. */
export const pagerdutyReceiverSchema = z.strictObject({
  /** File holding the integration's routing key (Alertmanager 0.25's `routing_key_file`). */
  routing_key_file: alertmanagerFile('/run/secrets/pagerduty_routing_key'),
});

/**
 * A generic webhook (Alertmanager's JSON payload) per routed severity. Alertmanager 0.25 has
 * no `url_file`, so the URL sits in the generated config: keep secrets out of it and send a
 * bearer token from `credentials_file` instead.
 */
export const webhookReceiverSchema = z.strictObject({
  url: httpUrl('https://hooks.example.com/mlwatch'),
  /** File holding a bearer token sent as `Authorization: Bearer …` (`http_config.authorization.credentials_file`). */
  credentials_file: alertmanagerFile('/run/secrets/webhook_token').optional(),
});

/** Where alerts are delivered: per routed severity, any of Slack, e-mail, PagerDuty and a webhook. */
export const notificationsSchema = z.strictObject({
  slack: perSeverity(slackReceiverSchema).optional(),
  email: emailSchema.optional(),
  pagerduty: perSeverity(pagerdutyReceiverSchema).optional(),
  webhook: perSeverity(webhookReceiverSchema).optional(),
});

/** Links put into alerts, so a notification leads to its runbook, its dashboard and a silence. */
export const linksSchema = z.strictObject({
  grafana_url: z.url().default('http://localhost:3000'),
  /**
   * The exporter's base URL as people reach it: alerts link to the runbooks it serves at
   * `<public_url>/runbooks/<alert>`, open without a token.
   */
  public_url: httpUrl('https://mlwatch.example.com').default('http://localhost:9420'),
  /**
   * Where alerting/runbooks.md is browsed instead (e.g. its page in your repository): alerts
   * then link to this plus `#` and the alert name in lower case. Left out, the exporter serves them.
   */
  runbooks_url: httpUrl('https://git.example.com/team/mlwatch/blob/main/alerting/runbooks.md').optional(),
  /** Alertmanager as people reach it: its `--web.external-url`, so silence links open. */
  alertmanager_url: httpUrl('https://alertmanager.example.com').default('http://localhost:9093'),
});

export const driftSchema = z.strictObject({
  /**
   * Recent events per window: the count bound of the sliding window. Distance tests have
   * no significance level, only sampling noise that shrinks with the window: on the demo's
   * heavy-tailed features normalised Wasserstein reaches its 0.1 threshold by chance now and
   * then at 1,000 events, almost never at 2,000 (docs/drift.md).
   */
  window_size: z.number().int().min(10).max(1_000_000).default(2000),
  /** Events older than this are dropped from the window, so a quiet model is not judged on stale data; null keeps them. */
  max_age_seconds: z.number().positive().nullable().default(3600),
  /** No verdict until the window holds this many events (too few make distance tests noisy). */
  min_samples: z.number().int().min(1).default(1000),
  evaluation_interval_seconds: z.number().positive().default(15),
  /** One window per model version instead of one per model. */
  per_version: z.boolean().default(false),
  /** Family-wise significance level of the p-value tests, after correction. */
  alpha: z.number().gt(0).lt(1).default(0.05),
  correction: z.enum(['benjamini_hochberg', 'bonferroni']).default('benjamini_hochberg'),
  /** A model has dataset drift when at least this share of its features drifted. */
  dataset_drift_share: z.number().gt(0).max(1).default(0.5),
  /**
   * Smallest effect a significant p-value test must also show to count as drift, so that
   * huge windows do not flag trivial shifts: KS D for ks/cvm/anderson, total variation
   * distance between category shares for chi2. 0 turns a floor off.
   */
  effect_size_floor: z
    .strictObject({
      ks: fraction.default(0.05),
      chi2: fraction.default(0.05),
      cvm: fraction.default(0.05),
      anderson: fraction.default(0.05),
    })
    .default({ ks: 0.05, chi2: 0.05, cvm: 0.05, anderson: 0.05 }),
  /** Distance tests drift when the distance reaches these (Wasserstein is normalised by the reference std). */
  /** Window of the fleet tier: PromQL compares the bin counts of this long with the reference. */
  fleet_window_seconds: z.number().positive().default(3600),
  thresholds: z
    .strictObject({
      psi: z.number().positive().default(0.2),
      jensenshannon: z.number().positive().max(1).default(0.1),
      wasserstein: z.number().positive().default(0.1),
    })
    .default({ psi: 0.2, jensenshannon: 0.1, wasserstein: 0.1 }),
});

export const specSchema = z
  .strictObject({
    service: z.strictObject({ name, description: z.string().optional() }),
    exporter: exporterSchema.default(exporterSchema.parse({})),
    auth: authSchema.default(authSchema.parse({})),
    logging: loggingSchema.default(loggingSchema.parse({})),
    state: stateSchema.default(stateSchema.parse({})),
    joins: joinsSchema.default(joinsSchema.parse({})),
    models: z.array(modelSchema).min(1),
    drift: driftSchema.default(driftSchema.parse({})),
    slo: sloSchema,
    alerts: alertsSchema,
    prometheus: prometheusSchema.default(prometheusSchema.parse({})),
    /** Needed to generate the Alertmanager config; the exporter runs without it. */
    notifications: notificationsSchema.optional(),
    links: linksSchema.default(linksSchema.parse({})),
  })
  .superRefine((spec, ctx) => {
    reportDuplicates(
      spec.models.map((m) => m.name),
      ['models'],
      'model',
      ctx,
    );
    spec.models.forEach((model, i) => checkModel(model, ['models', i], ctx));
    const { max_body_bytes: body, max_inflight_body_bytes: inflight } = spec.exporter;
    // A cap below one body would refuse the largest allowed body even on an idle exporter.
    if (inflight < body)
      ctx.addIssue({
        code: 'custom',
        path: ['exporter', 'max_inflight_body_bytes'],
        message: `must be at least exporter.max_body_bytes (${body}), got ${inflight}`,
      });
  });

export type Spec = z.infer<typeof specSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type FeatureSpec = z.infer<typeof featureSchema>;
export type VersionSpec = z.infer<typeof versionSchema>;
export type ModelTask = ModelSpec['task'];
export type DriftSpec = z.infer<typeof driftSchema>;
export type StateSpec = z.infer<typeof stateSchema>;
export type QualitySpec = z.infer<typeof qualitySchema>;
export type JoinsSpec = z.infer<typeof joinsSchema>;
export type OutcomesSpec = z.infer<typeof outcomesSchema>;
export type OutcomeEventSpec = z.infer<typeof outcomeEventSchema>;
export type CanarySpec = z.infer<typeof canarySchema>;
export type AlertsSpec = z.infer<typeof alertsSchema>;
export type SlackReceiverSpec = z.infer<typeof slackReceiverSchema>;
export type NotificationsSpec = z.infer<typeof notificationsSchema>;
export type LinksSpec = z.infer<typeof linksSchema>;

/** Weights are floats written by people: allow rounding, not a missing version. */
const WEIGHT_SUM_TOLERANCE = 1e-6;

function checkModel(model: ModelSpec, path: (string | number)[], ctx: z.RefinementCtx): void {
  reportDuplicates(
    model.versions.map((v) => v.name),
    [...path, 'versions'],
    'version',
    ctx,
  );
  reportDuplicates(
    model.features.map((f) => f.name),
    [...path, 'features'],
    'feature',
    ctx,
  );

  const weightSum = model.versions.reduce((sum, v) => sum + v.weight, 0);
  if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
    const weights = model.versions.map((v) => `${v.name}=${v.weight}`).join(', ');
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'versions'],
      message: `weights must sum to 1, got ${round(weightSum)} (${weights})`,
    });
  }

  const isClassifier = model.task !== 'regression';
  if (isClassifier && model.classes === undefined) {
    ctx.addIssue({ code: 'custom', path: [...path, 'classes'], message: `required for task "${model.task}"` });
  }
  if (!isClassifier && model.classes !== undefined) {
    ctx.addIssue({ code: 'custom', path: [...path, 'classes'], message: 'not allowed for task "regression"' });
  }
  if (model.task === 'binary_classification' && model.classes !== undefined && model.classes.length !== 2) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'classes'],
      message: `binary_classification needs exactly 2 classes, got ${model.classes.length}`,
    });
  }
  if (model.classes !== undefined) reportDuplicates(model.classes, [...path, 'classes'], 'class', ctx);
  if (isClassifier && model.value_buckets !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'value_buckets'],
      message: 'only a regression model has value_buckets',
    });
  if (model.quality !== undefined) checkQuality(model, model.quality, [...path, 'quality'], ctx);
  if (model.outcomes !== undefined) checkOutcomes(model.outcomes, [...path, 'outcomes'], ctx);
  if (model.canary !== undefined) checkCanary(model, model.canary, [...path, 'canary'], ctx);

  model.features.forEach((feature, j) => {
    const featurePath = [...path, 'features', j];
    if (feature.type === 'categorical' && feature.categories === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...featurePath, 'categories'],
        message: 'required for a categorical feature',
      });
    }
    const testProblem = driftTestChoiceError(feature);
    if (testProblem !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...featurePath, 'drift_test'],
        message: testProblem.replace(/^feature "[^"]+": /, ''),
      });
    }
    if (feature.type === 'numeric' && feature.categories !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...featurePath, 'categories'],
        message: 'only a categorical feature has categories',
      });
    }
    if (feature.categories !== undefined) {
      reportDuplicates(feature.categories, [...featurePath, 'categories'], 'category', ctx);
      const reserved = feature.categories.indexOf(OTHER_CATEGORY);
      if (reserved >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: [...featurePath, 'categories', reserved],
          message: `"${OTHER_CATEGORY}" is reserved for unseen categories`,
        });
      }
    }
  });
}

/** The quality keys of one task kind are refused on the other, and protected classes must be the model's. */
function checkQuality(model: ModelSpec, quality: QualitySpec, path: (string | number)[], ctx: z.RefinementCtx): void {
  const only = model.task === 'regression' ? 'a classifier' : 'a regression model';
  const foreign =
    model.task === 'regression'
      ? (['accuracy_floor', 'estimated_accuracy_floor', 'max_estimate_gap'] as const).filter(
          (k) => quality[k] !== undefined,
        )
      : (['mae_ceiling', 'rmse_ceiling', 'error_buckets'] as const).filter((k) => quality[k] !== undefined);
  for (const key of foreign)
    ctx.addIssue({ code: 'custom', path: [...path, key], message: `only ${only} has ${key} (task "${model.task}")` });
  const classes = new Set(model.classes ?? []);
  for (const name of Object.keys(quality.protected_classes)) {
    if (!classes.has(name))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'protected_classes', name],
        message:
          model.task === 'regression'
            ? 'a regression model has no classes'
            : `not a class of this model (expected one of ${[...classes].join(', ')})`,
      });
  }
  reportDuplicates(quality.windows_seconds.map(String), [...path, 'windows_seconds'], 'window', ctx);
}

/** Events named by the outcome keys must be declared, the value event must carry a value, and a currency needs a value. */
function checkOutcomes(outcomes: OutcomesSpec, path: (string | number)[], ctx: z.RefinementCtx): void {
  const declared = Object.keys(outcomes.events);
  for (const [event, spec] of Object.entries(outcomes.events))
    if (spec.currency !== undefined && !spec.value)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'events', event, 'currency'],
        message: 'only an event with value: true has a currency',
      });
  for (const key of ['conversion_event', 'value_event'] as const) {
    const event = outcomes[key];
    if (event !== undefined && !declared.includes(event))
      ctx.addIssue({
        code: 'custom',
        path: [...path, key],
        message: `not a declared event (expected one of ${declared.join(', ')})`,
      });
  }
  if (outcomes.value_event !== undefined && outcomes.events[outcomes.value_event]?.value === false)
    ctx.addIssue({ code: 'custom', path: [...path, 'value_event'], message: 'that event is declared without a value' });
  if (outcomes.value_drop_share !== undefined && valueEvent(outcomes) === undefined)
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'value_drop_share'],
      message: 'no declared event has a value (value: true)',
    });
  reportDuplicates(outcomes.windows_seconds.map(String), [...path, 'windows_seconds'], 'window', ctx);
}

/** Baseline and candidate are two different versions of the model. */
function checkCanary(model: ModelSpec, canary: CanarySpec, path: (string | number)[], ctx: z.RefinementCtx): void {
  const versions = model.versions.map((v) => v.name);
  for (const key of ['baseline', 'candidate'] as const)
    if (!versions.includes(canary[key]))
      ctx.addIssue({
        code: 'custom',
        path: [...path, key],
        message: `not a version of this model (expected one of ${versions.join(', ')})`,
      });
  if (canary.baseline === canary.candidate)
    ctx.addIssue({ code: 'custom', path: [...path, 'candidate'], message: 'must differ from the baseline' });
}

/** The event whose rate is the conversion rate: the spec's choice, else the first declared. */
export function conversionEvent(outcomes: OutcomesSpec): string {
  return outcomes.conversion_event ?? (Object.keys(outcomes.events)[0] as string);
}

/** The event whose value per prediction is watched: the spec's choice, else the first declared with a value; undefined when none has one. */
export function valueEvent(outcomes: OutcomesSpec): string | undefined {
  return outcomes.value_event ?? Object.entries(outcomes.events).find(([, spec]) => spec.value)?.[0];
}

function reportDuplicates(names: string[], path: (string | number)[], what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  names.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, ...(what === 'class' || what === 'category' || what === 'window' ? [] : ['name'])],
        message: `duplicate ${what} name "${value}"`,
      });
    }
    seen.add(value);
  });
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
