import type { LoadedSpec } from '../../exporter/src/config/load-spec';
import { generateAlerting, type AlertingOptions } from './generate-alerting';
import type { GeneratedFile } from './generated-file';

/** Everything `mlwatch generate` writes, in a stable order. */
export function generateAll(loaded: LoadedSpec, options: AlertingOptions): GeneratedFile[] {
  return generateAlerting(loaded, options);
}
