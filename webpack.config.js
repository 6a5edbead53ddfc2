// Builds the browser bundles into dist/medsam/: the extension and the mode as
// ES modules (the prebuilt OHIF viewer imports them by URL and takes their
// default export), the inference worker, and onnxruntime-web's WASM files.
const fs = require('node:fs');
const path = require('node:path');

const outputDir = path.resolve(__dirname, 'dist/medsam');
const ortDist = path.resolve(__dirname, 'node_modules/onnxruntime-web/dist');

/** Copies onnxruntime-web's runtime files to dist/medsam/ort/, where `wasmPaths` points by default. */
class CopyOrtRuntimePlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyOrtRuntimePlugin', () => {
      const target = path.join(outputDir, 'ort');
      fs.mkdirSync(target, { recursive: true });
      for (const name of fs.readdirSync(ortDist)) {
        if (/^ort-wasm-simd-threaded(\.jsep)?\.(wasm|mjs)$/.test(name)) {
          fs.copyFileSync(path.join(ortDist, name), path.join(target, name));
        }
      }
      fs.copyFileSync(path.resolve(__dirname, 'bench/index.html'), path.join(outputDir, 'bench.html'));
    });
  }
}

module.exports = (env, argv) => ({
  mode: argv.mode ?? 'production',
  target: 'web',
  devtool: 'source-map',
  entry: {
    'medsam-extension': './extension/src/index.ts',
    'medsam-mode': './mode/src/index.ts',
    // The worker benchmark page (bench.html); the viewer never loads it.
    'medsam-bench': './bench/workerBenchPage.ts',
  },
  experiments: { outputModule: true },
  output: {
    path: outputDir,
    filename: '[name].js',
    chunkFilename: 'chunks/[name].[contenthash:8].js',
    library: { type: 'module' },
    publicPath: 'auto',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.mjs'],
    alias: {
      // @ohif/ui-next ships only a UMD build whose externals are named
      // React and ReactDOM; they resolve to our own React copy.
      '@ohif/ui-next$': path.resolve(__dirname, 'node_modules/@ohif/ui-next/dist/ohif-ui-next.umd.js'),
      React: path.resolve(__dirname, 'node_modules/react'),
      ReactDOM: path.resolve(__dirname, 'node_modules/react-dom'),
    },
    fallback: { util: false, fs: false, path: false, crypto: false },
  },
  module: {
    parser: {
      // onnxruntime-web locates its own .wasm/.mjs files at run time from
      // `env.wasm.wasmPaths`; webpack must not try to bundle them.
      javascript: { importMeta: true, url: 'relative' },
    },
    rules: [
      {
        test: /\.[jt]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'babel-loader',
          options: {
            presets: [
              ['@babel/preset-env', { targets: 'chrome >= 113, firefox >= 115, safari >= 16.4', modules: false }],
              ['@babel/preset-react', { runtime: 'automatic' }],
              '@babel/preset-typescript',
            ],
          },
        },
      },
      {
        test: /onnxruntime-web[\\/]dist[\\/].*\.mjs$/,
        parser: { url: false, worker: false },
      },
    ],
  },
  performance: { hints: false },
  plugins: [new CopyOrtRuntimePlugin()],
});
