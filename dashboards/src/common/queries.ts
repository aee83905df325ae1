import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasources';

/** How far back a week-over-week comparison looks, as PromQL's `offset` (the recording rules' too). */
export const WEEK_OFFSET = '1w';

/** One PromQL query of a panel. */
export interface Query {
  readonly expr: string;
  /** Series name in the legend, e.g. `{{version}}`. */
  readonly legend?: string;
  /** The latest value only (tables and stats), rather than a range. */
  readonly instant?: boolean;
  readonly format?: 'table' | 'heatmap';
}

/** Panel query builders with refIds A, B, C… in order; the SDK assigns none. */
export function queryBuilders(queries: readonly Query[]): DataqueryBuilder[] {
  return queries.map((query, i) => {
    const builder = new DataqueryBuilder().datasource(PROMETHEUS).expr(query.expr).refId(refId(i));
    if (query.legend !== undefined) builder.legendFormat(query.legend);
    if (query.instant === true) builder.instant();
    else builder.range();
    if (query.format === 'table') builder.format(PromQueryFormat.Table);
    if (query.format === 'heatmap') builder.format(PromQueryFormat.Heatmap);
    return builder;
  });
}

function refId(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}

/** `metric{labels}` with the dashboard's label filters, e.g. `sel('mlwatch_predictions_total', MODEL_FILTER)`. */
export function sel(metric: string, ...matchers: string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** `sum by (labels) (rate(selector[$__rate_interval]))`; `by` empty sums everything. */
export function sumRate(selector: string, by: readonly string[] = [], range = '$__rate_interval'): string {
  return `${sumBy(by)}(rate(${selector}[${range}]))`;
}

/** `sum by (labels) (increase(selector[$__range]))`: what happened over the dashboard's time range (instant queries). */
export function sumOverRange(selector: string, by: readonly string[] = []): string {
  return `${sumBy(by)}(increase(${selector}[$__range]))`;
}

/** `sum` or `sum by (a, b) `, as the aggregation of the helpers above opens. */
function sumBy(by: readonly string[]): string {
  return by.length === 0 ? 'sum' : `sum by (${by.join(', ')}) `;
}
