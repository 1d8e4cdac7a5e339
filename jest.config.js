/**
 * Default test run: unit and example tests. Heavy suites live in their own scripts.
 * ts-jest only transpiles (tsconfig.jest.json); `npm run typecheck` type-checks everything.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
