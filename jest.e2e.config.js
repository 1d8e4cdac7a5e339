/**
 * End-to-end suites against the local control plane (`test/cluster/up`): `npm run test:e2e`.
 * Not part of `npm test`. Files are named `*.e2e.ts` so the default config never picks them up.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 300000,
};
