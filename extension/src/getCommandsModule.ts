import type { MedsamService } from './MedsamService';
import type { ServicesManager } from './ohifTypes';

/** Commands: `medsam.save` stores the current result, `medsam.loadModel` starts the download. */
export function getCommandsModule({ servicesManager }: { servicesManager: ServicesManager }) {
  const service = () => servicesManager.services.medsamService as MedsamService;
  const actions = {
    medsamSave: () => service().save(),
    medsamLoadModel: () => service().ensureModel(),
    medsamRegisterTool: () => service().registerTool(),
  };
  return {
    actions,
    definitions: {
      'medsam.save': { commandFn: actions.medsamSave },
      'medsam.loadModel': { commandFn: actions.medsamLoadModel },
      'medsam.registerTool': { commandFn: actions.medsamRegisterTool },
    },
    defaultContext: 'DEFAULT',
  };
}
