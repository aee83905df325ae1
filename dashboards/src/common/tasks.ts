import type { ModelSpec, QualitySpec, Spec } from '../../../spec/src/schema';
import { formatDuration } from '../../../alerting/src/prometheus-duration';

/** The two kinds of model output the dashboards tell apart: class probabilities, or a number. */
export type TaskKind = 'classification' | 'regression';

/** The task kind of a model: binary and multiclass classifiers are both `classification`. */
export function taskKindOf(model: ModelSpec): TaskKind {
  return model.task === 'regression' ? 'regression' : 'classification';
}

/** The spec's models of one task kind, in spec order. */
export function modelsOfKind(spec: Spec, kind: TaskKind): ModelSpec[] {
  return spec.models.filter((model) => taskKindOf(model) === kind);
}

/** A model and its quality section, for the models that get labels. */
export type LabelledModel = ModelSpec & { readonly quality: QualitySpec };

/** The models of one task kind that declare `quality` (get labels), in spec order. */
export function labelledModels(spec: Spec, kind: TaskKind): LabelledModel[] {
  return modelsOfKind(spec, kind).filter((model): model is LabelledModel => model.quality !== undefined);
}

/**
 * `model=~"a|b"`: a matcher for exactly these models. Model names may hold `.`, which a regex
 * would read as any character; PromQL strings need the backslash doubled.
 */
export function modelsMatcher(models: readonly ModelSpec[]): string {
  const names = models.map((model) => model.name.replaceAll('.', '\\\\.'));
  return `model=~"${names.join('|')}"`;
}

/** The window the quality alerts judge (the first of `quality.windows_seconds`), as the recording rules name it. */
export function alertWindow(model: LabelledModel): string {
  return formatDuration(model.quality.windows_seconds[0] as number);
}

/**
 * The models grouped by their alert window, windows in order of first appearance: one query per
 * group reads each model's recording rule of its own window.
 */
export function byAlertWindow(models: readonly LabelledModel[]): WindowGroup<LabelledModel>[] {
  return byWindow(models, alertWindow);
}

/** Models that share a window (as the recording rules name it). */
export interface WindowGroup<M extends ModelSpec> {
  readonly window: string;
  readonly models: M[];
}

/** The models grouped by a window of theirs (`windowOf`), windows in order of first appearance. */
export function byWindow<M extends ModelSpec>(models: readonly M[], windowOf: (model: M) => string): WindowGroup<M>[] {
  const groups = new Map<string, M[]>();
  for (const model of models) groups.set(windowOf(model), [...(groups.get(windowOf(model)) ?? []), model]);
  return [...groups].map(([window, members]) => ({ window, models: members }));
}

/** Every quality window of the models, formatted, in order of first appearance. */
export function allWindows(models: readonly LabelledModel[]): string[] {
  return [...new Set(models.flatMap((model) => model.quality.windows_seconds.map(formatDuration)))];
}

/**
 * A setting of the quality sections as one number for a panel's threshold: the value when the
 * models that set it agree, `undefined` when none sets it or they differ (a panel has one set of
 * thresholds; the description then names each model's).
 */
export function sharedSetting(
  models: readonly LabelledModel[],
  pick: (quality: QualitySpec) => number | undefined,
): number | undefined {
  const values = new Set(models.map((model) => pick(model.quality)).filter((v): v is number => v !== undefined));
  return values.size === 1 ? [...values][0] : undefined;
}

/** `fraud 0.9, churn 0.8`: each model's setting, for a description; empty when none sets it. */
export function settingsText(
  models: readonly LabelledModel[],
  pick: (quality: QualitySpec) => number | undefined,
): string {
  return models
    .flatMap((model) => {
      const value = pick(model.quality);
      return value === undefined ? [] : [`${model.name} ${value}`];
    })
    .join(', ');
}
