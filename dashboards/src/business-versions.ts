import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS } from '../../spec/src/conventions';
import {
  businessModels,
  canaryModels,
  outcomeModels,
  type CanaryModel,
  type OutcomeModel,
} from './common/business-models';
import { buildDashboard } from './common/dashboard-factory';
import { labelledModels, modelsMatcher, type LabelledModel } from './common/tasks';
import { eventVariable, modelVariable, targetVariables } from './common/variables';
import { canarySections } from './canary-panels';
import { outcomeSections } from './outcome-panels';

/**
 * Does the model earn, and is the new version better: outcomes and value per prediction by
 * version with their moving averages and last week's, and the canary beside its baseline.
 * `undefined` when no model declares `outcomes` or a `canary`.
 */
export function businessVersions(spec: Spec): Dashboard | undefined {
  const models = businessModels(spec);
  if (models.length === 0) return undefined;
  const outcomes = outcomeModels(spec);
  const canaries = canaryModels(spec);
  const labelled = new Set(labelledModels(spec, 'classification').map((model) => model.name));
  return buildDashboard({
    uid: DASHBOARD_UIDS.businessVersions,
    title: 'mlwatch / Business & versions',
    description:
      'Does the model earn: outcomes and value per prediction by version, their moving averages and last week, and the canary against its baseline with the z statistic of each signal and its critical value.',
    variables: [
      ...targetVariables(),
      modelVariable({
        matcher: modelsMatcher(models),
        what: `the models with outcomes or a canary (${models.map((m) => m.name).join(', ')})`,
      }),
      eventVariable(),
    ],
    sections: [
      ...outcomeSections(outcomes),
      ...canarySections(
        canaries,
        canaries.filter((model): model is CanaryModel & OutcomeModel => model.outcomes !== undefined),
        canaries.filter((model): model is CanaryModel & LabelledModel => labelled.has(model.name)),
      ),
    ],
  });
}
