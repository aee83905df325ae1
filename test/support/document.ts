/**
 * Parsed YAML or JSON documents as tests edit them (a spec, a model artifact): plain objects whose keys may be
 * set to any value, a wrong one included, or deleted. Reading a path that is not there throws naming it.
 */
export type Doc = Record<string, unknown>;

type Key = string | number;

/** The object at `path` in `doc` (`objectAt(spec, 'models', 0, 'features', 3)`), to read or edit. */
export function objectAt(doc: unknown, ...path: Key[]): Doc {
  const value = valueAt(doc, path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${describePath(path)} is not an object: ${JSON.stringify(value)}`);
  }
  return value as Doc;
}

/** The array at `path` in `doc` (`arrayAt(spec, 'models', 0, 'features')`), to read or edit. */
export function arrayAt(doc: unknown, ...path: Key[]): unknown[] {
  const value = valueAt(doc, path);
  if (!Array.isArray(value)) throw new Error(`${describePath(path)} is not an array: ${JSON.stringify(value)}`);
  return value;
}

function valueAt(doc: unknown, path: readonly Key[]): unknown {
  let value = doc;
  path.forEach((key, depth) => {
    if (typeof value !== 'object' || value === null || !(key in value)) {
      throw new Error(`the document has no ${describePath(path.slice(0, depth + 1))}`);
    }
    value = (value as Record<Key, unknown>)[key];
  });
  return value;
}

/** A path as the spec's error messages write it: `models[0].features[3]`. */
function describePath(path: readonly Key[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('') || '(root)';
}
