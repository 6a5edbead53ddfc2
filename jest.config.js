// Two projects. `unit` needs only Node and the files in the data folder, and
// `e2e` needs the services that scripts/test.mjs starts (Orthanc, the viewer
// server, Chromium) inside a private network namespace.
const common = {
  testEnvironment: '<rootDir>/tests/jest/NodeEnvironment.js',
  transform: { '\\.[jt]sx?$': 'babel-jest' },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
};
