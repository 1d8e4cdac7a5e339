/**
 * Browser tests (`npm run test:browser`): the graph page in Debian's chromium through
 * playwright-core. Kept out of the default `npm test`; .ci/run installs chromium and runs them.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.browser.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
};
