// Entry point of `npm run bench:model`: runs bench/runWorkerBench.ts through
// the Babel require hook. Options: --model-dir DIR [--runs N] [--decoder-runs N]
// [--threads 1,2] [--webgpu] [--gpu] [--chromium-arg ARG] [--skip-webgpu]
// [--skip-pytorch] [--wasm-variants]; docs/benchmarks.md describes them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./babel-node.cjs');
require('../bench/runWorkerBench.ts');
