import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  MappingType,
  SpecialValueMatch,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type Panel,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  BigValueColorMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  HeatmapCellLayout,
  StackingConfigBuilder,
  StackingMode,
} from '@grafana/grafana-foundation-sdk/common';
import type { DashboardLintRule } from '../lint/lint-finding';
import { PROMETHEUS } from './datasources';
import { queryBuilders, type Query } from './queries';

/** A colour step: from `value` upwards (null: from minus infinity). */
export interface Step {
  readonly value: number | null;
  readonly color: string;
}

/** What every panel must say: a title, one sentence of description, a unit, and where it sits. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  /** Grid columns out of 24. */
  readonly width: number;
  readonly height?: number;
  readonly queries: readonly Query[];
  /** Colour steps, e.g. the spec's threshold in red. */
  readonly steps?: readonly Step[];
  readonly min?: number;
  readonly max?: number;
  /** Lint rules that do not apply to this panel, each with its reason (see dashboards/src/lint/). */
  readonly waive?: Readonly<Partial<Record<DashboardLintRule, string>>>;
}

export type PanelBuilder = cog.Builder<Panel>;

/** A panel and its width, as a line of a section is laid out, with its title and lint waivers. */
export interface Placed {
  readonly width: number;
  readonly title: string;
  readonly panel: PanelBuilder;
  readonly waive?: PanelSpec['waive'];
}

function placed(spec: PanelSpec, panel: PanelBuilder): Placed {
  return { width: spec.width, title: spec.title, panel, ...(spec.waive === undefined ? {} : { waive: spec.waive }) };
}

/** Value texts for a stat or a table column, e.g. `{ '0': 'no', '1': 'DRIFT' }`. */
function valueTexts(texts: Readonly<Record<string, string>>): ValueMapping {
  return {
    type: MappingType.ValueToText,
    options: Object.fromEntries(Object.entries(texts).map(([value, text], index) => [value, { text, index }])),
  };
}

const DEFAULT_HEIGHT = 8;

/** Green below `value`, red from it: the spec's threshold on a panel. */
export function redFrom(value: number): Step[] {
  return [
    { value: null, color: 'green' },
    { value, color: 'red' },
  ];
}

/** Red below `value`, green from it: a floor. */
export function redBelow(value: number): Step[] {
  return [
    { value: null, color: 'red' },
    { value, color: 'green' },
  ];
}

function thresholds(steps: readonly Step[] | undefined): ThresholdsConfigBuilder {
  // Grafana needs a base step; without thresholds from the spec it is neutral.
  const all = steps ?? [{ value: null, color: 'green' }];
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(all.map((s) => ({ value: s.value, color: s.color })));
}

function common<T extends timeseries.PanelBuilder | stat.PanelBuilder | table.PanelBuilder | heatmap.PanelBuilder>(
  builder: T,
  spec: PanelSpec,
): T {
  builder
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS)
    .span(spec.width)
    .height(spec.height ?? DEFAULT_HEIGHT)
    .targets(queryBuilders(spec.queries))
    .thresholds(thresholds(spec.steps));
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  return builder;
}

/** Lines over time; with steps, the thresholds are drawn as dashed lines. */
export function timeSeriesPanel(spec: PanelSpec & { readonly stacked?: boolean }): Placed {
  const builder = common(new timeseries.PanelBuilder(), spec)
    .fillOpacity(spec.stacked === true ? 30 : 10)
    .lineWidth(1);
  if (spec.stacked === true) builder.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (spec.steps !== undefined)
    builder.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  return placed(spec, builder);
}

/** One big number, coloured by the steps. */
export function statPanel(
  spec: PanelSpec & { readonly valueText?: Readonly<Record<string, string>>; readonly decimals?: number },
): Placed {
  const builder = common(new stat.PanelBuilder(), spec).colorMode(BigValueColorMode.Background);
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  if (spec.valueText !== undefined) builder.mappings([valueTexts(spec.valueText)]);
  return placed(spec, builder);
}

/** A table of instant queries merged on their labels; columns renamed and coloured as given. */
export function tablePanel(
  spec: PanelSpec & {
    readonly columns?: Readonly<Record<string, string>>;
    readonly colouredColumns?: readonly string[];
    readonly nanText?: string;
    /** Units of columns whose numbers are not the panel's unit, by column name. */
    readonly columnUnits?: Readonly<Record<string, string>>;
    /** Value texts of a column, e.g. a 0/1 verdict as words. */
    readonly columnTexts?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** A matrix: one row per value of the label `rows`, one column per value of `columns`, cells from `values`. */
    readonly matrix?: { readonly rows: string; readonly columns: string; readonly values: string };
  },
): Placed {
  const builder = common(new table.PanelBuilder(), spec);
  if (spec.nanText !== undefined)
    builder.mappings([
      {
        type: MappingType.SpecialValue,
        options: { match: SpecialValueMatch.NotANumber, result: { text: spec.nanText } },
      },
    ]);
  builder.withTransformation({ id: 'merge', options: {} });
  if (spec.matrix !== undefined)
    builder.withTransformation({
      id: 'groupingToMatrix',
      options: { rowField: spec.matrix.rows, columnField: spec.matrix.columns, valueField: spec.matrix.values },
    });
  if (spec.columns !== undefined) {
    builder.withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true }, renameByName: spec.columns },
    });
  }
  for (const column of spec.colouredColumns ?? []) {
    builder.overrideByName(column, [{ id: 'custom.cellOptions', value: { type: 'color-background' } }]);
  }
  for (const [column, unit] of Object.entries(spec.columnUnits ?? {})) {
    builder.overrideByName(column, [{ id: 'unit', value: unit }]);
  }
  for (const [column, texts] of Object.entries(spec.columnTexts ?? {})) {
    builder.overrideByName(column, [{ id: 'mappings', value: [valueTexts(texts)] }]);
  }
  return placed(spec, builder);
}

/**
 * A heatmap of histogram buckets (`le` series, as Prometheus stores them): `unit` is the cells'
 * (what a bucket counts), `yUnit` the buckets' own.
 */
export function heatmapPanel(spec: PanelSpec & { readonly yUnit: string }): Placed {
  return placed(
    spec,
    common(new heatmap.PanelBuilder(), spec)
      .calculate(false)
      .yAxis(new heatmap.YAxisConfigBuilder().unit(spec.yUnit))
      .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(HeatmapCellLayout.Le)),
  );
}
