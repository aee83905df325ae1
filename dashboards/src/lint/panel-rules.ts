import * as units from '@grafana/grafana-foundation-sdk/units';
import { isDatasourceVariable, type PanelJson } from './dashboard-json';
import type { LintFinding } from './lint-finding';

type Found = Omit<LintFinding, 'dashboard' | 'panel'>;

/** Grafana's units, as the foundation SDK lists them. */
const GRAFANA_UNITS: ReadonlySet<string> = new Set(Object.values(units).filter((u) => typeof u === 'string'));

/** Panel types that show numbers, and so need a unit (dashboard-linter's list, and heatmaps). */
const NUMERIC_PANELS = new Set(['stat', 'singlestat', 'graph', 'table', 'timeseries', 'gauge', 'bargauge', 'heatmap']);

/** The panel, and every query it has, reads through the datasource variable. */
export function panelDatasourceRule(panel: PanelJson): Found[] {
  const rule = 'panel-datasource-rule';
  const found: Found[] = [];
  if ((panel.targets ?? []).length > 0 && !isDatasourceVariable(panel.datasource))
    found.push({ rule, message: `reads datasource "${panel.datasource?.uid ?? ''}", not \${datasource}` });
  for (const target of panel.targets ?? []) {
    if (target.datasource !== undefined && !isDatasourceVariable(target.datasource))
      found.push({
        rule,
        message: `query ${target.refId ?? '?'} reads datasource "${target.datasource.uid ?? ''}", not \${datasource}`,
      });
  }
  return found;
}

/** A panel that shows numbers has one of Grafana's units. */
export function panelUnitsRule(panel: PanelJson): Found[] {
  if (!NUMERIC_PANELS.has(panel.type ?? '')) return [];
  const unit = panel.fieldConfig?.defaults?.unit;
  if (unit !== undefined && GRAFANA_UNITS.has(unit)) return [];
  return [
    {
      rule: 'panel-units-rule',
      message: unit === undefined ? 'has no unit' : `has unit "${unit}", not one of Grafana's`,
    },
  ];
}

/** A panel has a title and a description (the (i) a reader hovers). */
export function panelTitleDescriptionRule(panel: PanelJson): Found[] {
  const missing = [
    ...((panel.title ?? '').trim() === '' ? ['title'] : []),
    ...((panel.description ?? '').trim() === '' ? ['description'] : []),
  ];
  return missing.length === 0
    ? []
    : [{ rule: 'panel-title-description-rule', message: `has no ${missing.join(' and no ')}` }];
}
