// The steps that npm start and npm test share on a fresh clone: Debian
// packages, node_modules, the webpack bundles, the OHIF Viewer, the synthetic
// phantom study and the generated models. Each step that finds its output
// up to date does nothing.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureAptPackages } from './lib/ensureAptPackages.mjs';
import { createLogger } from './lib/log.mjs';
import { runCommand } from './lib/runCommand.mjs';
import { ensureOhifViewer } from './ohif-viewer.mjs';

const log = createLogger('medsam.bootstrap');

/** Raised when a step's generator (a file another part of the project provides) does not exist. */
export class MissingGeneratorError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MissingGeneratorError';
  }
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PHANTOM_DIR = path.join(REPO_ROOT, 'build', 'phantom');
export const MODELS_DIR = path.join(REPO_ROOT, 'build', 'models');
export const MEDSAM_BUNDLE_DIR = path.join(REPO_ROOT, 'dist', 'medsam');
const BUILD_STAMP = path.join(MEDSAM_BUNDLE_DIR, '.build-stamp');

// The interpreter that has the Debian python3-torch and python3-onnx packages.
const SYSTEM_PYTHON = '/usr/bin/python3';

/** Returns the newest modification time (ms) of the files under `paths`, 0 when none exist. */
export function newestMtimeMs(paths) {
  let newest = 0;
  const visit = (entry) => {
    if (!existsSync(entry)) return;
    const info = statSync(entry);
    if (info.isDirectory()) {
      for (const name of readdirSync(entry)) {
        if (name !== 'node_modules' && name !== '__pycache__' && !name.startsWith('.')) visit(path.join(entry, name));
      }
    } else {
      newest = Math.max(newest, info.mtimeMs);
    }
  };
  for (const entry of paths) visit(entry);
  return newest;
}

function isOutputStale(outputFile, inputs) {
  return !existsSync(outputFile) || statSync(outputFile).mtimeMs < newestMtimeMs(inputs);
}

function npmScripts() {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts ?? {};
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export async function ensureNodeModules() {
  const marker = path.join(REPO_ROOT, 'node_modules', '.package-lock.json');
  if (!isOutputStale(marker, [path.join(REPO_ROOT, 'package-lock.json')])) return;
  log.info('running npm ci (node_modules is missing or older than package-lock.json)');
  // onnxruntime-node's install script would otherwise download GPU binaries.
  await runCommand('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}

/** Runs `npm run build` (webpack) when forced or when a source file is newer than the last build. */
export async function ensureBundles({ force = false } = {}) {
  const inputs = ['src', 'extension', 'mode', 'bench', 'webpack.config.js', 'package-lock.json', 'babel.config.js'].map((name) =>
    path.join(REPO_ROOT, name),
  );
  if (!existsSync(path.join(REPO_ROOT, 'webpack.config.js'))) {
    throw new MissingGeneratorError('webpack.config.js not found, so the extension bundles in dist/medsam/ cannot be built.');
  }
  if (!force && !isOutputStale(BUILD_STAMP, inputs)) return;
  log.info('building the extension and mode bundles with npm run build');
  await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT });
  writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

/** Writes the synthetic CT phantom study into build/phantom/ (about a second). */
export async function ensurePhantom({ force = false } = {}) {
  const generator = path.join(REPO_ROOT, 'scripts', 'make-phantom.mjs');
  if (!existsSync(generator)) throw new MissingGeneratorError('scripts/make-phantom.mjs not found, so no phantom study can be generated.');
  const inputs = [generator, path.join(REPO_ROOT, 'scripts', 'make-phantom.ts'), path.join(REPO_ROOT, 'src')];
  if (!force && !isOutputStale(path.join(PHANTOM_DIR, 'ground-truth.json'), inputs)) return;
  log.info(`writing the phantom study into ${PHANTOM_DIR}`);
  await rm(PHANTOM_DIR, { recursive: true, force: true });
  await runCommand(process.execPath, [generator, '--out', PHANTOM_DIR], { cwd: REPO_ROOT });
}

/** Generates the stand-in models into build/models/standin/ with models/make_standin.py. */
export async function ensureStandinModel() {
  const generator = path.join(REPO_ROOT, 'models', 'make_standin.py');
  if (!existsSync(generator)) throw new MissingGeneratorError('models/make_standin.py not found, so no stand-in model can be generated.');
  const outDir = path.join(MODELS_DIR, 'standin');
  if (!isOutputStale(path.join(outDir, 'manifest.json'), [path.join(REPO_ROOT, 'models')])) return;
  log.info(`generating the stand-in models into ${outDir}`);
  await runCommand(SYSTEM_PYTHON, [generator, '--out', outDir], { cwd: REPO_ROOT });
}

/**
 * Exports a tiny randomly initialised MedSAM-architecture model into
 * build/models/tiny/ with `npm run model:import`, when package.json has that script.
 * @returns {Promise<boolean>} false when the script does not exist
 */
export async function ensureTinyModel() {
  if (!npmScripts()['model:import']) return false;
  const outDir = path.join(MODELS_DIR, 'tiny');
  if (!isOutputStale(path.join(outDir, 'manifest.json'), [path.join(REPO_ROOT, 'models')])) return true;
  log.info(`exporting the tiny random-weights model into ${outDir}`);
  await runCommand('npm', ['run', 'model:import', '--', '--random-weights', '1', '--config', 'tiny', '--out', outDir], {
    cwd: REPO_ROOT,
  });
  return true;
}

/** Runs `npm run typecheck` (tsc --noEmit). */
export async function runTypecheck() {
  log.info('type checking with npm run typecheck');
  await runCommand('npm', ['run', 'typecheck'], { cwd: REPO_ROOT });
}

/** Returns the model folders under build/models/ as a name-to-folder map for the viewer server. */
export function listModelDirs() {
  if (!existsSync(MODELS_DIR)) return {};
  const modelDirs = {};
  for (const name of readdirSync(MODELS_DIR).sort()) {
    const dir = path.join(MODELS_DIR, name);
    if (statSync(dir).isDirectory()) modelDirs[name] = dir;
  }
  return modelDirs;
}

/**
 * Runs every bootstrap step. With `keepGoing`, a step that fails, or whose
 * generator does not exist yet, is logged and listed in `problems`. The
 * remaining steps still run, so npm test reports every broken part at once.
 * Without `keepGoing`, the first problem is thrown. `MEDSAM_BUNDLE_DIR` skips the webpack build, because the
 * bundles then come from that folder.
 * @param {{ keepGoing?: boolean, tinyModel?: boolean }} [options]
 * @returns {Promise<{ ohifDir: string, problems: string[] }>}
 */
export async function bootstrap({ keepGoing = false, tinyModel = false } = {}) {
  const problems = [];
  const step = async (name, run) => {
    try {
      await run();
    } catch (error) {
      if (!keepGoing) throw error;
      log.error(`${name}: ${error.message}`);
      problems.push(`${name}: ${error.message}`);
    }
  };

  await ensureAptPackages({ log });
  await ensureNodeModules();
  const ohifDir = await ensureOhifViewer();
  if (process.env.MEDSAM_BUNDLE_DIR) {
    log.info(`MEDSAM_BUNDLE_DIR is set, so the bundles come from ${process.env.MEDSAM_BUNDLE_DIR} and npm run build is skipped`);
  } else {
    await step('extension bundles', () => ensureBundles());
  }
  await step('phantom study', () => ensurePhantom());
  await step('stand-in model', () => ensureStandinModel());
  if (tinyModel) {
    await step('tiny model', async () => {
      if (!(await ensureTinyModel())) log.info('package.json has no model:import script yet, so build/models/tiny is not exported');
    });
  }
  return { ohifDir, problems };
}
