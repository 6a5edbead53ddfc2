import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'app-config.template.js');

export const DEFAULT_APP_CONFIG_OPTIONS = Object.freeze({
  dicomwebPath: '/dicom-web',
  extensions: ['/medsam/medsam-extension.js'],
  modes: ['/medsam/medsam-mode.js'],
  dataSourceName: 'dicomweb',
  friendlyName: 'MedSAM development PACS',
  supportsStow: true,
  // MedSAM is a research model, so the viewer's investigational-use notice stays on by default.
  investigationalUseDialog: { option: 'always' },
  // dist/medsam/ is served at /medsam/, and webpack copies onnxruntime-web's files into its ort/.
  medsam: { modelBaseUrl: '/medsam/models/standin/', wasmPaths: '/medsam/ort/' },
});

/**
 * Renders scripts/app-config.template.js: each `__MEDSAM_<NAME>__` token is
 * replaced with the JSON of the matching option. Throws when the template has
 * a token without a value, so a renamed option cannot silently vanish.
 * `options.medsam` is merged into the default `window.config.medsam`.
 * @param {Partial<typeof DEFAULT_APP_CONFIG_OPTIONS>} [options]
 * @returns {Promise<string>}
 */
export async function renderAppConfig(options = {}) {
  const values = { ...DEFAULT_APP_CONFIG_OPTIONS, ...options };
  values.medsam = { ...DEFAULT_APP_CONFIG_OPTIONS.medsam, ...options.medsam };
  const tokens = {
    DICOMWEB_PATH: values.dicomwebPath,
    EXTENSIONS: values.extensions,
    MODES: values.modes,
    DATA_SOURCE_NAME: values.dataSourceName,
    FRIENDLY_NAME: values.friendlyName,
    SUPPORTS_STOW: values.supportsStow,
    INVESTIGATIONAL_USE_DIALOG: values.investigationalUseDialog,
    EXTENSION_CONFIG: values.medsam,
  };
  const template = await readFile(TEMPLATE_PATH, 'utf8');
  return template.replace(/__MEDSAM_([A-Z_]+?)__/g, (match, name) => {
    if (!(name in tokens)) throw new Error(`${TEMPLATE_PATH} has the unknown token ${match}.`);
    return JSON.stringify(tokens[name], null, 2).replace(/\n/g, '\n  ');
  });
}
