// Runs TypeScript under plain Node by compiling each `.ts` file with the
// repository's babel.config.js when it is required. There is no type
// checking here; `npm run typecheck` does that.
//
// Use as a preload, `node -r ./scripts/babel-node.cjs file.ts`, or as a
// runner, `node scripts/babel-node.cjs file.ts [args...]`.
'use strict';

const path = require('node:path');
const babel = require('@babel/core');

const repositoryRoot = path.resolve(__dirname, '..');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const result = babel.transformFileSync(filename, {
    cwd: repositoryRoot,
    configFile: path.join(repositoryRoot, 'babel.config.js'),
    sourceMaps: 'inline',
  });
  if (!result || typeof result.code !== 'string') {
    throw new Error(`Babel returned no code for ${filename}.`);
  }
  module._compile(result.code, filename);
};

if (require.main === module) {
  const script = process.argv[2];
  if (!script) {
    process.stderr.write('Usage: node scripts/babel-node.cjs FILE.ts [ARGS...]\n');
    process.exit(2);
  }
  process.argv.splice(1, 2, path.resolve(script));
  require(path.resolve(script));
}
