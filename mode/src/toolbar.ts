import { MEDSAM_BOX_TOOL_NAME } from '../../extension/src/publicApi';

/** The MedSAM box button; its id is the tool name, which `setToolActiveToolbar` activates. */
export const medsamBoxButton = {
  id: MEDSAM_BOX_TOOL_NAME,
  uiType: 'ohif.toolButton',
  props: {
    type: 'tool',
    icon: 'tool-rectangle',
    label: 'MedSAM box (M)',
    tooltip: 'Draw a box around the structure; MedSAM segments it',
    commands: { commandName: 'setToolActiveToolbar', commandOptions: { toolGroupIds: ['default'] } },
    evaluate: 'evaluate.cornerstoneTool',
  },
};

interface CustomizationReader {
  getCustomization(id: string): unknown;
}

/**
 * Returns the toolbar buttons and sections of the MedSAM mode: the viewer's
 * own packs (general and segmentation editing tools) with the MedSAM box
 * first in the primary section.
 */
export function composeToolbar(customizationService: CustomizationReader): {
  buttons: unknown[];
  sections: Record<string, string[]>;
} {
  const packs = ['cornerstone.toolbarButtons', 'cornerstone.segmentationToolbarButtons'];
  const buttons = packs.flatMap(id => asArray(customizationService.getCustomization(id)));
  const sections: Record<string, string[]> = {};
  for (const id of ['cornerstone.toolbarSections', 'cornerstone.segmentationToolbarSections']) {
    Object.assign(sections, customizationService.getCustomization(id) ?? {});
  }
  const primary = (sections.primary ?? ['WindowLevel', 'Pan', 'Zoom', 'Layout']).filter(
    buttonId => buttonId !== MEDSAM_BOX_TOOL_NAME
  );
  sections.primary = [MEDSAM_BOX_TOOL_NAME, ...primary];
  return { buttons: [...buttons, medsamBoxButton], sections };
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  return value === undefined || value === null ? [] : [value];
}
