import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { specSchema } from '../../spec/src/schema';
import { packageRoot } from './package-root';

/** The part of a JSON Schema the table reads. */
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  /** A record's entries (`z.record`): the schema of each value, its keys named by `propertyNames`. */
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  description?: string;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  format?: string;
}

/** One key of the spec: its path as the README writes it, and what it takes. */
export interface SpecKey {
  readonly path: string;
  readonly type: string;
  /** Whether the key must be given when its section is. */
  readonly required: boolean;
  /** The value used when it is left out, as YAML would show it; undefined for none. */
  readonly default?: string;
}

/** Markers around the generated table in README.md. */
export const SPEC_TABLE_BEGIN =
  '<!-- spec-keys: generated from spec/src/schema.ts by `npm run docs:spec`; do not edit -->';
export const SPEC_TABLE_END = '<!-- spec-keys: end -->';

/** Every key of the spec schema, sections before their keys, in schema order. */
export function specKeys(): SpecKey[] {
  const root = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return keysOf(root, '');
}

function keysOf(schema: JsonSchema, prefix: string): SpecKey[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const keyPath = `${prefix}${name}`;
    const object = objectOf(child);
    const key: SpecKey = {
      path: keyPath,
      type: describeType(child),
      required: required.has(name),
      ...(child.default === undefined || object !== undefined ? {} : { default: JSON.stringify(child.default) }),
    };
    if (object !== undefined) return [key, ...keysOf(object, `${keyPath}.`)];
    const entry = recordEntryOf(child);
    if (entry !== undefined) {
      // A record's keys are the user's (class names): the table names them by a placeholder, `<class>`.
      const entryPath = `${keyPath}.<${child.propertyNames?.description ?? 'name'}>`;
      return [key, { path: entryPath, type: describeType(entry), required: false }, ...keysOf(entry, `${entryPath}.`)];
    }
    const items = child.items === undefined ? undefined : objectOf(child.items);
    if (items !== undefined) return [key, ...keysOf(items, `${keyPath}[].`)];
    return [key];
  });
}

function objectOf(schema: JsonSchema): JsonSchema | undefined {
  return schema.properties === undefined ? undefined : schema;
}

/** The section each entry of a record holds, when the record's values are sections. */
function recordEntryOf(schema: JsonSchema): JsonSchema | undefined {
  const entry = schema.additionalProperties;
  return typeof entry === 'object' ? objectOf(entry) : undefined;
}

function describeType(schema: JsonSchema): string {
  if (schema.anyOf !== undefined) return schema.anyOf.map(describeType).join(' or ');
  if (schema.enum !== undefined) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.properties !== undefined) return 'section';
  switch (schema.type) {
    case 'array':
      return `list of ${schema.items?.properties !== undefined ? 'entries' : schema.items === undefined ? 'values' : describeType(schema.items)}${schema.minItems === undefined ? '' : ` (at least ${schema.minItems})`}`;
    case 'integer':
    case 'number':
      return `${schema.type === 'integer' ? 'integer' : 'number'}${describeRange(schema)}`;
    case 'string':
      return schema.format === 'uri' ? 'URL' : 'string';
    case undefined:
      return 'value';
    default:
      return schema.type;
  }
}

function describeRange(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  else if (schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  else if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

/** The README table of every spec key: path, type, required or optional, default. */
export function specReferenceTable(keys: readonly SpecKey[] = specKeys()): string {
  const rows = keys.map(
    (key) =>
      `| \`${key.path}\` | ${key.type} | ${key.required ? 'required' : 'optional'} | ${key.default === undefined ? '—' : `\`${key.default}\``} |`,
  );
  return ['| key | takes | required | default |', '|---|---|---|---|', ...rows].join('\n');
}

/** README text with the generated table between its markers replaced by `table`. */
export function withSpecTable(readme: string, table: string): string {
  const begin = readme.indexOf(SPEC_TABLE_BEGIN);
  const end = readme.indexOf(SPEC_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no "${SPEC_TABLE_BEGIN}" … "${SPEC_TABLE_END}" block`);
  return `${readme.slice(0, begin + SPEC_TABLE_BEGIN.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
  const readme = path.join(packageRoot(), 'README.md');
  writeFileSync(readme, withSpecTable(readFileSync(readme, 'utf8'), specReferenceTable()));
  console.log(`docs:spec: ${specKeys().length} spec keys in ${readme}`);
}
