import { FEATURE_QUANTILES, LABELS, METRICS, type FeatureQuantile } from '../../../spec/src/conventions';
import { formatGoG } from './go-format';

/**
 * An annotation written once and rendered two ways: as the Go template Prometheus expands,
 * and as the exact text the rule tests expect for given labels and value. Writing both from
 * one source keeps the template and its tests from drifting apart.
 */
export type TemplatePart =
  | string
  | { readonly label: string }
  /** `$value` with three significant digits. */
  | { readonly value: 'number' }
  /** `$value` as a percentage (0.0144 → 1.44%). */
  | { readonly value: 'percent' }
  /** `$value` in bytes with binary prefixes (1.1 GiB → 1.1GiB). */
  | { readonly value: 'bytes' }
  /** The features of `$labels.model` whose exact-tier verdict is drifted, by name. */
  | { readonly driftedFeatures: true }
  /** One of several templates, chosen by the value of a label (nothing when no case matches). */
  | { readonly switch: string; readonly cases: Readonly<Record<string, AnnotationTemplate>> }
  /**
   * Which way `$labels.feature` of `$labels.model` moved, from the exported quantiles: " In the data,
   * amount moved from the reference to the live window: median 42 → 61; p95 180 → 310." Nothing
   * when the feature has no window quantiles (a categorical feature, or no verdict).
   */
  | { readonly direction: true }
  /**
   * The answer of a PromQL query about the alert's series (the counts behind a ratio): `promql`
   * holds a `%q` for each of `labels`, filled from the alert's labels; nothing when it answers
   * nothing. A test case gives the answer under `key`.
   */
  | { readonly query: QuerySpec; readonly format: QueryFormat };

/** How a query's answer is printed: a whole count, a percentage, or three significant digits. */
export type QueryFormat = 'count' | 'percent' | 'number';

const GO_QUERY_FORMATS: Record<QueryFormat, string> = {
  count: 'printf "%.0f"',
  percent: 'humanizePercentage',
  number: 'printf "%.3g"',
};

/** A query of an annotation: its key in test cases, its PromQL with `%q` placeholders, and the labels filling them. */
export interface QuerySpec {
  readonly key: string;
  readonly promql: string;
  readonly labels: readonly string[];
}

export type AnnotationTemplate = readonly TemplatePart[];

/** A part that says one thing per model, chosen by the alert's `model` label: `body` of each target. */
export function modelSwitch<T extends { readonly model: { readonly name: string } }>(
  targets: readonly T[],
  body: (target: T) => AnnotationTemplate,
): TemplatePart {
  return {
    switch: LABELS.model,
    cases: Object.fromEntries(targets.map((target) => [target.model.name, body(target)])),
  };
}

/** What an expanded template sees in a test case. */
export interface TemplateInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly driftedFeatures?: readonly string[];
  /** The median and p95 of the feature in the reference and in the live window, when exported. */
  readonly quantiles?: FeatureQuantiles;
  /** The answer of each query part, by its key. */
  readonly queries?: Readonly<Record<string, number>>;
}

/** A numeric feature's median and p95, [p50, p95], in the reference and in the live window. */
export interface FeatureQuantiles {
  readonly reference: readonly [number, number];
  readonly window: readonly [number, number];
}

/** Significant digits of quantiles in alert text: enough for amounts in the thousands. */
const QUANTILE_DIGITS = 4;

/**
 * The query of one exported quantile of `$labels.feature`: the reference's is the same on every
 * replica (max), the windows' are averaged over replicas (and versions); NaN ("no verdict") is
 * filtered out, so the query is empty rather than NaN.
 */
function quantileQuery(source: 'window' | 'reference', quantile: FeatureQuantile): string {
  const metric = source === 'window' ? METRICS.featureWindowQuantile : METRICS.featureReferenceQuantile;
  const aggregation = source === 'window' ? 'avg' : 'max';
  return (
    `{{ with printf \`${aggregation}(${metric}{${LABELS.model}=%q,${LABELS.feature}=%q,quantile="${quantile}"} > -Inf)\` ` +
    `$labels.${LABELS.model} $labels.${LABELS.feature} | query }}`
  );
}

const [P50, P95] = FEATURE_QUANTILES;

/** The direction sentence as a Go template: four nested queries, so it appears only when all four answer. */
const GO_DIRECTION =
  `${quantileQuery('reference', P50)}{{ $r50 := . | first | value }}` +
  `${quantileQuery('window', P50)}{{ $w50 := . | first | value }}` +
  `${quantileQuery('reference', P95)}{{ $r95 := . | first | value }}` +
  `${quantileQuery('window', P95)}{{ $w95 := . | first | value }}` +
  ` In the data, {{ $labels.${LABELS.feature} }} moved from the reference to the live window: ` +
  `median {{ printf "%.${QUANTILE_DIGITS}g" $r50 }} → {{ printf "%.${QUANTILE_DIGITS}g" $w50 }}; ` +
  `p95 {{ printf "%.${QUANTILE_DIGITS}g" $r95 }} → {{ printf "%.${QUANTILE_DIGITS}g" $w95 }}.` +
  '{{ end }}{{ end }}{{ end }}{{ end }}';

const DRIFTED_FEATURES_QUERY = `max by (${LABELS.feature}) (${METRICS.featureDrifted}{${LABELS.model}=%q}) == 1`;

type ValueFormat = Extract<TemplatePart, { value: unknown }>['value'];

const GO_VALUE_FORMATS: Record<ValueFormat, string> = {
  number: '{{ printf "%.3g" $value }}',
  percent: '{{ humanizePercentage $value }}',
  bytes: '{{ humanize1024 $value }}B',
};

/** The text Prometheus's template functions produce for `value`. */
function formatValue(format: ValueFormat, value: number): string {
  switch (format) {
    case 'number':
      return formatGoG(value, 3);
    case 'percent':
      return `${formatGoG(value * 100, 4)}%`;
    case 'bytes':
      return `${humanize1024(value)}B`;
  }
}

const BINARY_PREFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'];

/** Prometheus's `humanize1024`: divide by 1024 while the value is at least 1024, four significant digits. */
export function humanize1024(value: number): string {
  if (Math.abs(value) <= 1) return formatGoG(value, 4);
  let prefix = '';
  let scaled = value;
  for (const next of BINARY_PREFIXES) {
    if (Math.abs(scaled) < 1024) break;
    prefix = next;
    scaled /= 1024;
  }
  return `${formatGoG(scaled, 4)}${prefix}`;
}

export function toGoTemplate(template: AnnotationTemplate): string {
  return template
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('label' in part) return `{{ $labels.${part.label} }}`;
      if ('value' in part) return GO_VALUE_FORMATS[part.value];
      if ('direction' in part) return GO_DIRECTION;
      if ('query' in part) {
        const args = part.query.labels.map((label) => ` $labels.${label}`).join('');
        return `{{ with printf \`${part.query.promql}\`${args} | query }}{{ . | first | value | ${GO_QUERY_FORMATS[part.format]} }}{{ end }}`;
      }
      if ('switch' in part) {
        const branches = Object.entries(part.cases).map(
          ([value, body]) => `if eq $labels.${part.switch} ${JSON.stringify(value)} }}${toGoTemplate(body)}`,
        );
        return branches.length === 0 ? '' : `{{ ${branches.join('{{ else ')}{{ end }}`;
      }
      return (
        `{{ range $i, $s := printf "${DRIFTED_FEATURES_QUERY}" $labels.${LABELS.model} | query | sortByLabel "${LABELS.feature}" }}` +
        `{{ if $i }}, {{ end }}{{ $s.Labels.${LABELS.feature} }}{{ end }}`
      );
    })
    .join('');
}

export function renderExpected(template: AnnotationTemplate, input: TemplateInput): string {
  return template
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('label' in part) {
        const value = input.labels[part.label];
        if (value === undefined) throw new Error(`renderExpected: the case has no label "${part.label}"`);
        return value;
      }
      if ('value' in part) return formatValue(part.value, input.value);
      if ('direction' in part) return renderDirection(input);
      if ('query' in part) {
        const answer = input.queries?.[part.query.key];
        if (answer === undefined)
          throw new Error(`renderExpected: the case gives no answer to query "${part.query.key}"`);
        return part.format === 'count' ? answer.toFixed(0) : formatValue(part.format, answer);
      }
      if ('switch' in part) {
        const body = part.cases[input.labels[part.switch] ?? ''];
        return body === undefined ? '' : renderExpected(body, input);
      }
      return [...(input.driftedFeatures ?? [])].sort().join(', ');
    })
    .join('');
}

/** The direction sentence as Prometheus renders it for `input`, or nothing without quantiles. */
function renderDirection(input: TemplateInput): string {
  const q = input.quantiles;
  if (q === undefined) return '';
  const feature = input.labels[LABELS.feature];
  if (feature === undefined) throw new Error(`renderExpected: the case has no label "${LABELS.feature}"`);
  const n = (value: number) => formatGoG(value, QUANTILE_DIGITS);
  return (
    ` In the data, ${feature} moved from the reference to the live window: ` +
    `median ${n(q.reference[0])} → ${n(q.window[0])}; p95 ${n(q.reference[1])} → ${n(q.window[1])}.`
  );
}
