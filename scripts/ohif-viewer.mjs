#!/usr/bin/env node
// Downloads the prebuilt OHIF Viewer (the `dist/` folder of the @ohif/app
// npm tarball) into .cache/ and returns its path. The package cannot be
// installed with npm because one of its dependencies is not published, so we
// fetch the tarball with `npm pack`, check it against a pinned sha512 and
// unpack it with tar.
//
// CLI: node scripts/ohif-viewer.mjs   (prints the dist path)

import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCommand } from './lib/runCommand.mjs';
import { createLogger } from './lib/log.mjs';

const log = createLogger('medsam.ohif-viewer');

export const OHIF_APP_VERSION = '3.13.2';

// `npm view @ohif/app@3.13.2 dist.integrity`, checked when this was written.
export const OHIF_APP_INTEGRITY =
  'sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Computes the npm-style integrity string (`sha512-<base64>`) of a file. */
async function computeIntegrity(file) {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return `sha512-${hash.digest('base64')}`;
}

/**
 * Ensures the OHIF Viewer dist is unpacked under `<cacheDir>/ohif-app-<version>/dist`
 * and returns that path. Downloads only when the folder has no index.html.
 * @param {{ cacheDir?: string }} [options]
 * @returns {Promise<string>}
 */
export async function ensureOhifViewer({ cacheDir = path.join(repoRoot, '.cache') } = {}) {
  const targetDir = path.join(cacheDir, `ohif-app-${OHIF_APP_VERSION}`);
  const distDir = path.join(targetDir, 'dist');
  if (existsSync(path.join(distDir, 'index.html')) && existsSync(path.join(distDir, 'app-config.js'))) {
    return distDir;
  }

  await mkdir(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, `ohif-app-${OHIF_APP_VERSION}.tgz`);
  if (!existsSync(tarball) || (await computeIntegrity(tarball)) !== OHIF_APP_INTEGRITY) {
    log.info(`downloading @ohif/app@${OHIF_APP_VERSION} with npm pack (about 50 MB)`);
    const packDir = path.join(cacheDir, 'npm-pack-tmp');
    await rm(packDir, { recursive: true, force: true });
    await mkdir(packDir, { recursive: true });
    await runCommand('npm', ['pack', `@ohif/app@${OHIF_APP_VERSION}`, '--silent', '--pack-destination', packDir], {
      cwd: packDir,
    });
    const packed = (await readdir(packDir)).filter((name) => name.endsWith('.tgz'));
    if (packed.length !== 1) {
      throw new Error(`npm pack @ohif/app@${OHIF_APP_VERSION} left ${packed.length} tarballs in ${packDir}, expected 1`);
    }
    await rename(path.join(packDir, packed[0]), tarball);
    await rm(packDir, { recursive: true, force: true });
  }

  const integrity = await computeIntegrity(tarball);
  if (integrity !== OHIF_APP_INTEGRITY) {
    throw new Error(
      `integrity check failed for ${tarball}: got ${integrity}, expected ${OHIF_APP_INTEGRITY}. ` +
        'Delete the file and run again; if it fails again the registry copy differs from the pinned one.',
    );
  }

  log.info(`unpacking ${path.basename(tarball)} into ${targetDir}`);
  const unpackDir = `${targetDir}.tmp`;
  await rm(unpackDir, { recursive: true, force: true });
  await mkdir(unpackDir, { recursive: true });
  await runCommand('tar', ['-xzf', tarball, '-C', unpackDir, '--strip-components=1', '--no-same-owner', 'package/dist']);
  if (!existsSync(path.join(unpackDir, 'dist', 'index.html'))) {
    throw new Error(`${tarball} has no package/dist/index.html; the @ohif/app tarball layout changed`);
  }
  await rm(targetDir, { recursive: true, force: true });
  await rename(unpackDir, targetDir);
  return distDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureOhifViewer().then(
    (distDir) => console.log(distDir),
    (error) => {
      log.error(error);
      process.exit(1);
    },
  );
}
