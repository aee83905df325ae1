import type { z } from 'zod';

/** A spec that failed validation; `problems` holds one line per problem, each naming its path. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${file} is not a valid mlwatch spec:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'SpecError';
  }
}

/** Renders a path the way people write it: `models[0].features[3].type`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per zod issue: the path, what was expected and the value that was found. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${path}: required (expected ${issue.expected})`
        : `${path}: expected ${issue.expected}${got}`;
    case 'invalid_value':
      return `${path}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}${got}`;
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`).join('\n');
    case 'too_small':
    case 'too_big':
      return `${path}: ${issue.message.replace(/^Too (small|big): /, '')}${got}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
