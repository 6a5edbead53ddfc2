// Jest's node environment runs tests in a separate V8 context, so typed
// arrays that onnxruntime-node's native addon creates fail the
// `instanceof Float32Array` checks in onnxruntime-common, which run inside
// that context. This environment shares the outer context's typed-array
// constructors with the tests. Select it with a `@jest-environment` docblock.
const { TestEnvironment } = require('jest-environment-node');

const SHARED_GLOBALS = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'BigInt64Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigUint64Array',
];

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_GLOBALS) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxRuntimeEnvironment;
