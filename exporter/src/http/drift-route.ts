import type { Request, Response } from 'express';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';
import { routeModel } from './route-model';

/**
 * Handles `GET /v1/models/:model/drift[?version=v2]`: the latest drift report of the
 * model's window. Before the first scheduled evaluation it evaluates once on the spot.
 */
export function driftReportHandler(deps: AppDeps): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const name = String(req.params['model']);
    const model = routeModel(deps, name);
    const monitor = deps.driftMonitor;
    if (monitor === undefined || !monitor.monitors(name)) {
      throw new HttpError(
        404,
        'no_reference',
        `model ${name} has no reference profile, so there is no drift to report (set models[].reference in the spec)`,
        'model',
      );
    }
    const version = readVersion(req.query['version'], deps.spec.drift.per_version, model.slot.versions);
    if (monitor.latest(name, version) === undefined) await monitor.evaluateAll();
    res.json(monitor.latest(name, version));
  };
}

function readVersion(value: unknown, perVersion: boolean, versions: ReadonlyMap<string, unknown>): string | undefined {
  if (value === undefined) {
    if (perVersion)
      throw new HttpError(
        400,
        'invalid_request',
        `version: drift.per_version is on, so name one (known: ${[...versions.keys()].join(', ')})`,
        'version',
      );
    return undefined;
  }
  if (!perVersion)
    throw new HttpError(
      400,
      'invalid_request',
      'version: drift is evaluated per model (drift.per_version is off)',
      'version',
    );
  if (typeof value !== 'string' || !versions.has(value))
    throw new HttpError(
      400,
      'unknown_version',
      `version: ${JSON.stringify(value)} is not a version of this model`,
      'version',
    );
  return value;
}
