import { LABELS, METRICS } from '../../../spec/src/conventions';
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
  | { readonly driftedFeatures: true };

export type AnnotationTemplate = readonly TemplatePart[];

/** What an expanded template sees in a test case. */
export interface TemplateInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly driftedFeatures?: readonly string[];
}

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
function humanize1024(value: number): string {
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
      return [...(input.driftedFeatures ?? [])].sort().join(', ');
    })
    .join('');
}
