import { EXPORTER_JOB } from '../../../spec/src/conventions';

/** Label matchers bound to the template variables; regex matches so "All" (`.*`) works. */
export const MODEL_FILTER = 'model=~"$model"';
export const VERSION_FILTER = 'version=~"$version"';
export const FEATURE_FILTER = 'feature=~"$feature"';
export const EXPORTER_FILTER = `job="${EXPORTER_JOB}"`;
