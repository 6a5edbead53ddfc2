import type { MedsamService } from './MedsamService';
import type { ServicesManager } from './ohifTypes';
import { createPanelHost } from './panel/createPanelHost';

/** Returns the panel module entry of the MedSAM side panel. */
export function getPanelModule({ servicesManager }: { servicesManager: ServicesManager }) {
  const service = servicesManager.services.medsamService as MedsamService;
  return [
    {
      name: 'medsam',
      iconName: 'tab-segmentation',
      iconLabel: 'MedSAM',
      label: 'MedSAM',
      component: createPanelHost(service),
    },
  ];
}
