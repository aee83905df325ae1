import type { Request, Response } from 'express';
import { performanceReport } from '../quality/performance-report';
import type { LabelRecorder } from '../quality/label-recorder';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';
import { routeModel } from './route-model';

/**
 * Handles `GET /v1/models/:model/performance`: realised and estimated quality per version over
 * the exporter's most recent labelled predictions (`drift.window_size` per version), label
 * coverage since start and label delay percentiles (see performance-report).
 */
export function performanceHandler(deps: AppDeps, labels: LabelRecorder): (req: Request, res: Response) => void {
  return (req, res) => {
    const name = String(req.params['model']);
    const model = routeModel(deps, name);
    if (model.spec.quality === undefined) {
      throw new HttpError(
        404,
        'no_labels',
        `model ${name} takes no labels, so there is no performance to report (add models[].quality to the spec)`,
        'model',
      );
    }
    res.json(performanceReport(model.slot, labels, deps.metrics, deps.spec.drift.window_size));
  };
}
