import type { PanelSpec } from './panels';

/**
 * Waives the job and instance matchers for a panel whose series carry no exporter's job or
 * instance (fleet-wide recording rules, other programs' series), with the reason.
 */
export function notPerExporter(reason: string): NonNullable<PanelSpec['waive']> {
  return { 'target-job-rule': reason, 'target-instance-rule': reason };
}
