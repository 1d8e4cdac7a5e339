/** Default test run: unit and example tests. Heavy suites live in their own scripts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
