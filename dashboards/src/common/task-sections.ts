import type { Spec } from '../../../spec/src/schema';
import type { Section } from './layout';
import { modelsMatcher, modelsOfKind, type TaskKind } from './tasks';

const KIND_NAMES: Readonly<Record<TaskKind, string>> = {
  classification: 'classifiers',
  regression: 'regression models',
};

/** Whether the spec has models of both task kinds. */
function isMixed(spec: Spec): boolean {
  return modelsOfKind(spec, 'classification').length > 0 && modelsOfKind(spec, 'regression').length > 0;
}

/**
 * The matchers that keep a task kind's panels to its models: none when every model is of that
 * kind, else `model=~"…"` of that kind's models, so a panel never mixes class and value series.
 */
export function taskFilters(spec: Spec, kind: TaskKind): string[] {
  return isMixed(spec) ? [modelsMatcher(modelsOfKind(spec, kind))] : [];
}

/**
 * The sections only one task kind fills (class and confidence panels, or prediction values).
 * None when the spec has no model of the kind. When it has both kinds, Grafana cannot hide a
 * panel per selected model, so each kind's sections are collapsed rows whose titles name their
 * models: the reader opens the one of the model selected, and no empty panel shows by default.
 */
export function taskSections(spec: Spec, kind: TaskKind, sections: readonly Section[]): Section[] {
  const models = modelsOfKind(spec, kind);
  if (models.length === 0) return [];
  if (!isMixed(spec)) return [...sections];
  const names = models.map((m) => m.name).join(', ');
  return sections.map((section) => ({
    ...section,
    title: `${section.title} (${KIND_NAMES[kind]}: ${names})`,
    collapsed: true,
  }));
}
