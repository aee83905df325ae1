import type { LoadedSpec } from '../../spec/src/load-spec';
import { generateDashboards } from '../../dashboards/src/generate-dashboards';
import { generateAlerting, type AlertingOptions } from '../../alerting/src/generate-alerting';
import type { GeneratedFile } from '../../alerting/src/generated-file';

/** Everything `mlwatch generate` writes, in a stable order: alerting, then dashboards. */
export function generateAll(loaded: LoadedSpec, options: AlertingOptions): GeneratedFile[] {
  return [...generateAlerting(loaded, options), ...generateDashboards(loaded.spec, options.profile)];
}
