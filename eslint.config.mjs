// ESLint with typescript-eslint, type-aware: recommended + strict. Part of `npm test` (`npm run lint`).
// Exceptions are made here with a reason, or at the line with `// eslint-disable-next-line rule -- reason`.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers and booleans read fine in messages (`${count} events`); objects and unions with undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // The rule is there to stop a void result being used as a value. A callback written as an arrow shorthand
      // (`() => resolve()`, `(error) => reject(error)`) uses nothing; void in an expression (`x = f()`, `a && f()`,
      // a ternary, an argument, `return f()`) is still an error.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Dropping a key by destructuring (`const { outputs: _outputs, ...rest } = profile`) is the way to omit it.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['dashboards/src/**/*.ts', 'test/dashboards/**/*.ts'],
    rules: {
      // The SDK marks the v1 dashboard model deprecated in favour of dashboardv2, but Grafana 11 (the image in
      // docker-compose.yml) provisions only v1 JSON, and the generated files must stay byte-identical.
      '@typescript-eslint/no-deprecated': [
        'error',
        {
          allow: [
            { from: 'package', package: '@grafana/grafana-foundation-sdk', name: ['Dashboard', 'DashboardBuilder'] },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript: the CLI launcher and the tools' configuration files, run by Node as CommonJS or ESM.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    // The Node globals these few files use, named here rather than through another dev dependency.
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: {
      // CommonJS is what these files are (jest.config.js, .dependency-cruiser.cjs, bin/mlwatch.js): `require` is
      // how they import.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
