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
    const config = parseMedsamConfig(
      configuration ?? appConfig?.medsam,
      import.meta.url,
      globalThis.navigator?.hardwareConcurrency
    );
    servicesManager.registerService(MedsamService.REGISTRATION);
    (servicesManager.services.medsamService as MedsamService).configure(config, extensionManager);
  },

  getPanelModule,
  getCommandsModule,
};

export default medsamExtension;
