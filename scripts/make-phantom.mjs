// Entry point of the phantom CLI: `node scripts/make-phantom.mjs --out DIR`.
// It loads scripts/make-phantom.ts through the Babel require hook, so no
// separate build step is needed. `--help` lists the options.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./babel-node.cjs');
const { runMakePhantom } = require('./make-phantom.ts');

process.exitCode = runMakePhantom(process.argv.slice(2));
