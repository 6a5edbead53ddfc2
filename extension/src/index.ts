import { parseMedsamConfig } from '../../src/config/MedsamConfig';
import { getCommandsModule } from './getCommandsModule';
import { getPanelModule } from './getPanelModule';
import { EXTENSION_ID } from './id';
import { MedsamService } from './MedsamService';
import type { ExtensionManager, ServicesManager } from './ohifTypes';

interface RegistrationContext {
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  /** Set when the extension is registered as `[extension, configuration]` in a source build. */
  configuration?: unknown;
  appConfig?: { medsam?: unknown };
}

/**
 * The MedSAM OHIF extension: the box tool, the inference service, the panel
 * and the commands. Settings come from the extension configuration or, for
 * the prebuilt viewer that loads extensions by URL, from
 * `window.config.medsam` in app-config.js.
 */
const medsamExtension = {
  id: EXTENSION_ID,

  preRegistration({ servicesManager, extensionManager, configuration, appConfig }: RegistrationContext) {
    // The prebuilt viewer registers URL-loaded extensions with an empty
    // configuration object, so only a non-empty one wins over window.config.medsam.
    const hasConfiguration =
      typeof configuration === 'object' && configuration !== null && Object.keys(configuration).length > 0;
    const config = parseMedsamConfig(
      hasConfiguration ? configuration : appConfig?.medsam,
      bundleBaseUrl(),
      globalThis.navigator?.hardwareConcurrency
    );
    servicesManager.registerService(MedsamService.REGISTRATION);
    (servicesManager.services.medsamService as MedsamService).configure(config, extensionManager);
  },

  getPanelModule,
  getCommandsModule,
};

/**
 * URL of the folder this bundle was loaded from. Webpack computes its public
 * path at run time from the bundle's own URL (`publicPath: 'auto'`), whereas
 * `import.meta.url` would be replaced by the source file's path at build time.
 */
function bundleBaseUrl(): string {
  return typeof __webpack_public_path__ === 'string' && __webpack_public_path__
    ? new URL(__webpack_public_path__, globalThis.location?.href).href
    : globalThis.location?.href ?? 'http://localhost/';
}

declare const __webpack_public_path__: string | undefined;

export default medsamExtension;
