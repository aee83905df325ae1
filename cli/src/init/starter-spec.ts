import yaml from 'js-yaml';
import { CONFIDENCE_COLUMN, PREDICTION_COLUMN } from '../../../drift/src/profile/build-profile';
import type { ModelTask } from '../../../spec/src/schema';
import type { InferredFeature, SkippedColumn } from './infer-features';

/** What `mlwatch init` writes a spec from. */
export interface StarterSpecInput {
  readonly model: string;
  readonly task: ModelTask;
  /** The classes of a classifier; undefined writes placeholders to edit. */
  readonly classes?: readonly string[];
  /** Path of the reference sample as the spec names it: relative to the spec file. */
  readonly reference: string;
  readonly rows: number;
  readonly features: readonly InferredFeature[];
  readonly skipped: readonly SkippedColumn[];
}

/** Columns of a reference sample that hold the model's outputs, not its inputs. */
export const OUTPUT_COLUMNS = [PREDICTION_COLUMN, CONFIDENCE_COLUMN] as const;

const PLACEHOLDER_CLASSES = ['negative', 'positive'];

/** A value in YAML flow style, on one line. */
function flow(value: unknown): string {
  return yaml.dump(value, { flowLevel: 0, lineWidth: -1 }).trim();
}

function featureLines(feature: InferredFeature): string[] {
  const note = feature.note === undefined ? '' : `   # ${feature.note}`;
  const base = { name: feature.name, type: feature.type, ...(feature.nullable ? { nullable: true } : {}) };
  if (feature.categories === undefined) return [`      - ${flow(base)}${note}`];
  return [
    `      - name: ${flow(feature.name)}`,
    `        type: categorical`,
    ...(feature.nullable ? ['        nullable: true'] : []),
    `        categories: ${flow(feature.categories)}${note}`,
  ];
}

/** The text of a starter `mlwatch.yaml`: the inferred features and working defaults for everything else. */
export function starterSpec(input: StarterSpecInput): string {
  const classifier = input.task !== 'regression';
  const classes = input.classes ?? PLACEHOLDER_CLASSES;
  const classLine = !classifier
    ? []
    : [
        `    classes: ${flow(classes)}${input.classes === undefined ? '   # placeholders: the classes your model predicts' : ''}`,
      ];
  const skipped = input.skipped.map((s) => `      # skipped column ${JSON.stringify(s.name)}: ${s.reason}`);
  return `# mlwatch.yaml, written by \`mlwatch init\` from ${input.reference} (${input.rows} rows).
# Check the inferred features, then run \`mlwatch validate\`; README's "Every key" lists
# every key with its default. Paths are relative to this file.

service:
  name: ${flow(input.model)}

models:
  - name: ${flow(input.model)}
    task: ${input.task}
${[...classLine, ''].join('\n')}    versions:
      - name: v1
        weight: 1                # add artifact: <file> to serve predictions; without one, v1 takes ingested events
    reference: ${flow(input.reference)}
    features:
${[...input.features.flatMap(featureLines), ...skipped].join('\n')}

slo:
  latency_target_seconds: 0.25   # a prediction slower than this is a bad event
  latency_objective_percent: 99
  availability_objective_percent: 99.9

alerts:
  latency_p99_seconds: 0.5
  mean_confidence_floor: ${classifier ? '0.75' : '0.75   # unused by a regression model'}
  rejected_events_per_second: 1

notifications:                   # needed by \`mlwatch generate\`; each webhook URL lives in its own secret file
  slack:
    critical: { channel: "#ml-oncall", webhook_file: /run/secrets/slack_oncall_webhook }
    warning: { channel: "#ml-alerts", webhook_file: /run/secrets/slack_alerts_webhook }
`;
}
