/** Jest runs the TypeScript sources directly through ts-jest; typechecking is `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 30000,
  // marked ships ESM only; Node 20.19+ loads it with require(), Jest's module loader does not, so Jest uses its UMD build.
  moduleNameMapper: { '^marked$': '<rootDir>/node_modules/marked/lib/marked.umd.js' },
};
