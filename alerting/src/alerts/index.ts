import type { AlertDefinition } from './alert-definition';
import { conversionDrop, valueDrop } from './business-alerts';
import { canaryWorse } from './canary-alert';
import { EXPORTER_ALERTS } from './exporter-alerts';
import { estimateDivergence, estimatedAccuracyLow, labelCoverageLow } from './label-alerts';
import { MODEL_ALERTS } from './model-alerts';
import { predictionLogLoss } from './prediction-log-alert';
import { accuracyLow, classRecallLow, regressionErrorHigh } from './quality-alerts';
import { SLO_ALERTS } from './slo-alerts';
import { watchdog } from './watchdog';

/** Every alert mlwatch generates, in the order they are written. */
export const ALERT_DEFINITIONS: readonly AlertDefinition[] = [
  ...EXPORTER_ALERTS,
  predictionLogLoss,
  ...SLO_ALERTS,
  ...MODEL_ALERTS,
  accuracyLow,
  classRecallLow,
  regressionErrorHigh,
  labelCoverageLow,
  estimatedAccuracyLow,
  estimateDivergence,
  conversionDrop,
  valueDrop,
  canaryWorse,
  watchdog,
];
