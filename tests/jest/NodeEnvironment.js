// Jest's node environment gives each test file its own typed-array
// constructors, while native addons (onnxruntime-node) and Node's Buffer
// use the main realm's. onnxruntime checks `data instanceof Float32Array`,
// so tests share the main realm's typed arrays and ArrayBuffer.
const { TestEnvironment } = require('jest-environment-node');

const SHARED_GLOBALS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class NodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_GLOBALS) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = NodeEnvironment;
