import { EXPORTER_JOB } from '../../../spec/src/conventions';

/** Label matchers bound to the template variables; regex matches so "All" (`.*` or `.+`) works. */
export const MODEL_FILTER = 'model=~"$model"';
export const VERSION_FILTER = 'version=~"$version"';
export const FEATURE_FILTER = 'feature=~"$feature"';
export const EVENT_FILTER = 'event=~"$event"';
export const JOB_FILTER = 'job=~"$job"';
export const INSTANCE_FILTER = 'instance=~"$instance"';
/** The exporters the job and instance variables select: every query of an exporter's series carries both. */
export const TARGET_FILTERS = [JOB_FILTER, INSTANCE_FILTER] as const;
/**
 * Series names Prometheus, Alertmanager and node-exporter expose too (`up`, `process_*`): the
 * exporter job keeps them to exporters, as the job variable's "All" (`.+`) would not.
 */
export const EXPORTER_FILTER = `job="${EXPORTER_JOB}"`;
