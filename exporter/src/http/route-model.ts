import type { CatalogModel } from '../serving/model-catalog';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';

/** The catalog's model named in a route, or a 404 naming the known ones. */
export function routeModel(deps: AppDeps, name: string): CatalogModel {
  const model = deps.catalog.models.get(name);
  if (model !== undefined) return model;
  throw new HttpError(
    404,
    'unknown_model',
    `model ${JSON.stringify(name)} is not in the spec (known: ${[...deps.catalog.models.keys()].join(', ')})`,
    'model',
  );
}
