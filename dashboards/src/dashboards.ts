import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Spec } from '../../spec/src/schema';
import { modelDrift } from './model-drift';
import { serviceOverview } from './service-overview';
import { versionsFleet } from './versions-fleet';

/** Every dashboard mlwatch generates, in a stable order. */
export function allDashboards(spec: Spec): Dashboard[] {
  return [serviceOverview(spec), modelDrift(spec), versionsFleet(spec)];
}
