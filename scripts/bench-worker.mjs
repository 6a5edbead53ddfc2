// Entry point of `npm run bench:model`: runs bench/runWorkerBench.ts through
// the Babel require hook. Options: --model-dir DIR [--runs N] [--decoder-runs N] [--skip-webgpu]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./babel-node.cjs');
require('../bench/runWorkerBench.ts');
