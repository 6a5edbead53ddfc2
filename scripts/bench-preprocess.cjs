#!/usr/bin/env node
// Runs scripts/bench-preprocess.ts under Node without a build step: a
// require hook compiles TypeScript with the project's babel.config.js.
// Usage: node scripts/bench-preprocess.cjs [--runs N] [--worker] [--samples]
const babel = require('@babel/core');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = babel.transformSync(source, {
    filename,
    cwd: root,
    configFile: path.join(root, 'babel.config.js'),
    presets: [],
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};

require('./bench-preprocess.ts')
  .main(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
