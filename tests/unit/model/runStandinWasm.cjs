// Runs the stand-in models in onnxruntime-web's WASM backend and prints JSON
// timings. It runs as a child process because jest's VM sandbox cannot
// dynamically import the WASM glue module without --experimental-vm-modules.
//
// Usage: node runStandinWasm.cjs MODEL_DIR x0 y0 x1 y1
const { readFileSync } = require('node:fs');
const path = require('node:path');
const ort = require('onnxruntime-web');

const RUNS = 3;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const [modelDir, ...boxText] = process.argv.slice(2);
  const box = Float32Array.from(boxText.map(Number));
  if (!modelDir || box.length !== 4 || box.some(Number.isNaN)) {
    throw new Error('Usage: node runStandinWasm.cjs MODEL_DIR x0 y0 x1 y1');
  }
  ort.env.wasm.numThreads = 1;
  const options = { executionProviders: ['wasm'] };
  const load = (file) => ort.InferenceSession.create(readFileSync(path.join(modelDir, file)), options);
  const encoder = await load('encoder.onnx');
  const decoder = await load('decoder.onnx');
  const image = new ort.Tensor('float32', new Float32Array(3 * 1024 * 1024).fill(0.5), [1, 3, 1024, 1024]);
  const boxes = new ort.Tensor('float32', box, [1, 4]);

  const encoderMs = [];
  const decoderMs = [];
  let logits = null;
  // One extra run first, so that one-off initialisation is not timed.
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now();
    const { image_embeddings: embeddings } = await encoder.run({ image });
    const encoded = performance.now();
    ({ low_res_logits: logits } = await decoder.run({ image_embeddings: embeddings, boxes }));
    if (run > 0) {
      encoderMs.push(encoded - started);
      decoderMs.push(performance.now() - encoded);
    }
  }
  let positive = 0;
  for (const value of logits.data) {
    positive += value > 0 ? 1 : 0;
  }
  process.stdout.write(
    JSON.stringify({ encoderMs: median(encoderMs), decoderMs: median(decoderMs), positive }) + '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`runStandinWasm failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
