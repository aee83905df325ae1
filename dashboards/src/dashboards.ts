import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Spec } from '../../spec/src/schema';
import { businessVersions } from './business-versions';
import { classificationPerformance } from './classification-performance';
import { modelDrift } from './model-drift';
import { regressionPerformance } from './regression-performance';
import { serviceOverview } from './service-overview';
import { versionsFleet } from './versions-fleet';

/**
 * Every dashboard mlwatch generates for the spec, in a stable order: the three every spec gets,
 * then one performance dashboard per task kind the spec has (classification: a classifier with
 * `quality`; regression: any regression model, whose value panels need no labels), then Business &
 * versions when a model declares `outcomes` or a `canary`.
 */
export function allDashboards(spec: Spec): Dashboard[] {
  return [
    serviceOverview(spec),
    modelDrift(spec),
    versionsFleet(spec),
    ...[classificationPerformance(spec), regressionPerformance(spec), businessVersions(spec)].filter(
      (d) => d !== undefined,
    ),
  ];
}
