import { RowBuilder, type DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardLintRule, LintWaiver } from '../lint/lint-finding';
import type { Placed } from './panels';

/** Grafana's grid is 24 columns wide. */
export const GRID_WIDTH = 24;

/** A titled section of a dashboard: lines of panels, each line exactly the grid's width. */
export interface Section {
  readonly title: string;
  readonly lines: readonly (readonly Placed[])[];
  /** Folded: the row header only, its panels inside it until a reader opens it (and queried only then). */
  readonly collapsed?: boolean;
}

/**
 * Adds the section to a dashboard: an expanded row header, then its panels at the top
 * level, where Grafana expects the panels of an expanded row (a collapsed row holds them). The SDK's auto-layout only
 * wraps after a line overflows, so a line that does not fill the width would let the next
 * line's panels slide up into it; every line must sum to 24. Returns the panels' lint waivers.
 */
export function addSection(dashboard: DashboardBuilder, section: Section): LintWaiver[] {
  const row = new RowBuilder(section.title);
  if (section.collapsed !== true) dashboard.withRow(row);
  section.lines.forEach((line, i) => {
    const width = line.reduce((sum, placed) => sum + placed.width, 0);
    if (width !== GRID_WIDTH)
      throw new Error(`section "${section.title}", line ${i + 1}: panel widths sum to ${width}, not ${GRID_WIDTH}`);
    for (const placed of line) {
      if (section.collapsed === true) row.withPanel(placed.panel);
      else dashboard.withPanel(placed.panel);
    }
  });
  // A collapsed row carries its panels; the SDK lays them out under it when the row is added.
  if (section.collapsed === true) dashboard.withRow(row.collapsed(true));
  return section.lines.flat().flatMap((placed) =>
    Object.entries(placed.waive ?? {}).map(([rule, reason]) => ({
      rule: rule as DashboardLintRule,
      panel: placed.title,
      reason,
    })),
  );
}
