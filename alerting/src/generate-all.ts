import type { LoadedSpec } from '../../exporter/src/config/load-spec';
import { generateDashboards } from '../../dashboards/src/generate-dashboards';
import { generateAlerting, type AlertingOptions } from './generate-alerting';
import type { GeneratedFile } from './generated-file';

/** Everything `mlwatch generate` writes, in a stable order: alerting, then dashboards. */
export function generateAll(loaded: LoadedSpec, options: AlertingOptions): GeneratedFile[] {
  return [...generateAlerting(loaded, options), ...generateDashboards(loaded.spec, options.profile)];
}
