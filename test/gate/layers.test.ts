/**
 * The layers of ../shared/SPEC.md are enforced by dependency-cruiser in the gate (`npm run lint:deps`).
 * These tests run the repository's own rules on a small tree laid out like the repository, so a
 * forbidden import is shown to fail the gate and an allowed one to pass it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/demo-spec';

const DEPCRUISE = path.join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(REPO_ROOT, '.dependency-cruiser.cjs');
const PACKAGES = ['spec', 'drift', 'exporter', 'alerting', 'dashboards', 'cli'] as const;
type Package = (typeof PACKAGES)[number];

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-layers-'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'Node16', strict: true } }),
  );
  for (const name of PACKAGES) write(`${name}/src/${name}.ts`, `export const ${name} = '${name}';\n`);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** Adds `from/src/uses-to.ts`, importing `to`'s module (as a value, or as a type only). */
function addImport(from: Package, to: Package, kind: 'value' | 'type' = 'value'): void {
  const clause = kind === 'type' ? `import type { ${to} } from` : `import { ${to} } from`;
  write(`${from}/src/uses-${to}.ts`, `${clause} '../../${to}/src/${to}';\nexport const uses = typeof ${to};\n`);
}

/** Runs the repository's rules over the tree; returns the exit status and the report. */
function cruise(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, ...PACKAGES], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the layer rules in the gate', () => {
  test('a tree that imports only downwards passes', () => {
    addImport('drift', 'spec');
    addImport('exporter', 'drift');
    addImport('alerting', 'drift');
    addImport('dashboards', 'alerting');
    addImport('cli', 'dashboards');
    addImport('cli', 'exporter');
    const { status, output } = cruise();
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });

  test.each([
    ['spec', 'drift', 'spec-imports-nothing-of-ours'],
    ['drift', 'exporter', 'drift-imports-only-spec'],
    ['exporter', 'alerting', 'exporter-imports-spec-and-drift'],
    ['alerting', 'dashboards', 'alerting-imports-spec-and-drift'],
    ['dashboards', 'exporter', 'dashboards-import-spec-and-alerting'],
    ['exporter', 'cli', 'cli-is-the-composition-root'],
  ] as const)('%s importing %s fails the gate with rule %s', (from, to, rule) => {
    addImport(from, to);
    const { status, output } = cruise();
    expect(output).toContain(`error ${rule}: ${from}/src/uses-${to}.ts → ${to}/src/${to}.ts`);
    expect(status).not.toBe(0);
  });

  test('a type-only import upwards fails too (the rules see pre-compilation imports)', () => {
    addImport('drift', 'exporter', 'type');
    const { status, output } = cruise();
    expect(output).toContain('error drift-imports-only-spec');
    expect(status).not.toBe(0);
  });

  test('a cycle inside one package fails the gate', () => {
    write('exporter/src/a/a.ts', "import { b } from '../b/b';\nexport const a = () => b;\n");
    write('exporter/src/b/b.ts', "import { a } from '../a/a';\nexport const b = () => a;\n");
    const { status, output } = cruise();
    expect(output).toContain('error no-circular');
    expect(status).not.toBe(0);
  });

  test('a cycle between two folders fails even when no module cycle exists', () => {
    write('exporter/src/a/one.ts', "import { two } from '../b/two';\nexport const one = two;\n");
    write('exporter/src/a/three.ts', 'export const three = 3;\n');
    write('exporter/src/b/two.ts', 'export const two = 2;\n');
    write('exporter/src/b/four.ts', "import { three } from '../a/three';\nexport const four = three;\n");
    const { status, output } = cruise();
    expect(output).toContain('error no-circular-between-folders');
    expect(output).not.toMatch(/error no-circular:/);
    expect(status).not.toBe(0);
  });
});
