import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { specSchema, type Spec } from './schema';
import { SpecError, describeIssue } from './spec-error';

/** A validated spec together with the directory its relative paths are resolved against. */
export interface LoadedSpec {
  spec: Spec;
  file: string;
  baseDir: string;
  /** Resolves a path written in the spec (relative to the spec file) to an absolute one. */
  resolve(relative: string): string;
}

/** Reads, parses and validates a spec file; throws SpecError naming every bad path. */
export function loadSpec(file: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecError(file, [`cannot read the file: ${(error as Error).message}`], { cause: error });
  }
  return parseSpec(text, file);
}

/** Parses and validates spec text; `file` names it in errors and anchors relative paths. */
export function parseSpec(text: string, file: string): LoadedSpec {
  let data: unknown;
  try {
    data = yaml.load(text, { filename: file });
  } catch (error) {
    throw new SpecError(file, [`not valid YAML: ${(error as Error).message}`], { cause: error });
  }
  const result = specSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => describeIssue(issue).split('\n'));
    throw new SpecError(file, problems);
  }
  const baseDir = path.dirname(path.resolve(file));
  return { spec: result.data, file, baseDir, resolve: (relative) => path.resolve(baseDir, relative) };
}
