/**
 * The layers of ../shared/SPEC.md as rules the gate enforces (`npm run lint:deps`, part of `npm test`):
 * imports run one way, spec → drift → exporter / alerting → dashboards → cli, and never in a circle.
 */
const layer = (name) => `^${name}/src/`;
const ours = (...names) => `^(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle at any level: a circle hides which module is the lower one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-between-folders',
      severity: 'error',
      comment: 'No cycle between folders either (ingest/ ⇄ serving/ was one): a folder is a layer of its package.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'spec-imports-nothing-of-ours',
      severity: 'error',
      comment: 'spec/ is the contract every layer shares; it depends on nothing of ours.',
      from: { path: layer('spec') },
      to: { path: ours('drift', 'exporter', 'alerting', 'dashboards', 'cli', 'test', 'bench') },
    },
    {
      name: 'drift-imports-only-spec',
      severity: 'error',
      comment: 'drift/ is the pure statistics library: spec only, no service, generators or CLI.',
      from: { path: layer('drift') },
      to: { path: ours('exporter', 'alerting', 'dashboards', 'cli', 'test', 'bench') },
    },
    {
      name: 'exporter-imports-spec-and-drift',
      severity: 'error',
      comment: 'The service knows the contract and the drift library, never the generators or the CLI.',
      from: { path: layer('exporter') },
      to: { path: ours('alerting', 'dashboards', 'cli', 'test', 'bench') },
    },
    {
      name: 'alerting-imports-spec-and-drift',
      severity: 'error',
      comment: 'The rule generator reads the contract (and drift for reference values in rule tests).',
      from: { path: layer('alerting') },
      to: { path: ours('exporter', 'dashboards', 'cli', 'test', 'bench') },
    },
    {
      name: 'dashboards-import-spec-and-alerting',
      severity: 'error',
      comment: 'Dashboards query the recording rules alerting defines; alerting never imports dashboards.',
      from: { path: layer('dashboards') },
      to: { path: ours('drift', 'exporter', 'cli', 'test', 'bench') },
    },
    {
      name: 'cli-is-the-composition-root',
      severity: 'error',
      comment: 'cli/ may import everything and nothing of the sources imports it.',
      from: { path: ours('spec', 'drift', 'exporter', 'alerting', 'dashboards') },
      to: { path: layer('cli') },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
    },
  },
};
