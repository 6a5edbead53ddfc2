import { EXTENSION_ID, MEDSAM_BOX_TOOL_NAME, PANEL_ID, type MedsamService } from '../../extension/src/publicApi';
import { createToolGroups } from './createToolGroups';
import { composeToolbar } from './toolbar';

const MODE_ID = '@medsam/ohif-mode';

const ohif = {
  layout: '@ohif/extension-default.layoutTemplateModule.viewerLayout',
  sopClassHandler: '@ohif/extension-default.sopClassHandlerModule.stack',
  thumbnailList: '@ohif/extension-default.panelModule.seriesList',
};
const cornerstone = {
  viewport: '@ohif/extension-cornerstone.viewportModule.cornerstone',
  segmentationPanel: '@ohif/extension-cornerstone.panelModule.panelSegmentationWithToolsLabelMap',
};
const dicomSeg = {
  sopClassHandler: '@ohif/extension-cornerstone-dicom-seg.sopClassHandlerModule.dicom-seg',
  viewport: '@ohif/extension-cornerstone-dicom-seg.viewportModule.dicom-seg',
};

/**
 * Extensions this mode needs besides MedSAM's own. The MedSAM extension is
 * not listed: the viewer imports every listed id as a module name, and the
 * prebuilt viewer registers ours from its URL in `window.config.extensions`.
 */
const extensionDependencies = {
  '@ohif/extension-default': '^3.0.0',
  '@ohif/extension-cornerstone': '^3.0.0',
  '@ohif/extension-cornerstone-dicom-seg': '^3.0.0',
};

interface ModeContext {
  servicesManager: {
    services: Record<string, unknown> & {
      medsamService?: MedsamService;
      toolbarService: { register(buttons: unknown[]): void; updateSection(key: string, ids: string[]): void };
      toolGroupService: unknown;
      customizationService: {
        setCustomizations(customizations: Record<string, unknown>): void;
        getCustomization(id: string): unknown;
      };
      uiNotificationService: { show(options: Record<string, unknown>): void };
      segmentationService: { destroy(): void };
      cornerstoneViewportService: { destroy(): void };
      uiDialogService?: { hideAll(): void };
    };
  };
  extensionManager: { registeredExtensionIds: string[]; getModuleEntry(id: string): { exports: Record<string, unknown> } | undefined };
  commandsManager: { runCommand(name: string, options?: Record<string, unknown>): unknown };
}

function onModeEnter({ servicesManager, extensionManager }: ModeContext) {
  const { services } = servicesManager;
  const medsamService = services.medsamService;
  if (!medsamService || !extensionManager.registeredExtensionIds.includes(EXTENSION_ID)) {
    services.uiNotificationService.show({
      title: 'MedSAM extension missing',
      message: `Add the ${EXTENSION_ID} bundle to window.config.extensions (or the plugin config) to use this mode.`,
      type: 'error',
    });
    return;
  }

  medsamService.registerTool();
  createToolGroups({ extensionManager, toolGroupService: services.toolGroupService });
  const toolbar = composeToolbar(services.customizationService);
  services.toolbarService.register(toolbar.buttons);
  for (const [section, buttonIds] of Object.entries(toolbar.sections)) {
    services.toolbarService.updateSection(section, buttonIds);
  }
  addHotkey(services.customizationService);
  medsamService.onModeEnter();
}

/** Adds the `m` hotkey of the box tool unless the bindings have it already. */
function addHotkey(customizationService: ModeContext['servicesManager']['services']['customizationService']): void {
  const bindings = customizationService.getCustomization('ohif.hotkeyBindings');
  const present =
    Array.isArray(bindings) &&
    bindings.some(binding => (binding as { commandOptions?: { toolName?: string } }).commandOptions?.toolName === MEDSAM_BOX_TOOL_NAME);
  if (present) {
    return;
  }
  const binding = {
    commandName: 'setToolActiveToolbar',
    commandOptions: { toolName: MEDSAM_BOX_TOOL_NAME },
    label: 'MedSAM box',
    keys: ['m'],
    isEditable: true,
  };
  customizationService.setCustomizations({ 'ohif.hotkeyBindings': { $push: [binding] } });
}

function onModeExit({ servicesManager }: ModeContext) {
  const { services } = servicesManager;
  services.medsamService?.onModeExit();
  services.uiDialogService?.hideAll();
  (services.toolGroupService as { destroy(): void }).destroy();
  services.segmentationService.destroy();
  services.cornerstoneViewportService.destroy();
}

const medsamLayout = {
  id: ohif.layout,
  props: {
    leftPanels: [ohif.thumbnailList],
    leftPanelResizable: true,
    rightPanels: [PANEL_ID, cornerstone.segmentationPanel],
    rightPanelResizable: true,
    viewports: [
      { namespace: cornerstone.viewport, displaySetsToDisplay: [ohif.sopClassHandler] },
      { namespace: dicomSeg.viewport, displaySetsToDisplay: [dicomSeg.sopClassHandler] },
    ],
  },
};

function modeFactory() {
  return {
    id: MODE_ID,
    routeName: 'medsam',
    displayName: 'MedSAM',
    onModeEnter,
    onModeExit,
    validationTags: { study: [], series: [] },
    /** Valid for any study with an image modality that MedSAM can take. */
    isValidMode({ modalities }: { modalities: string }) {
      const list = modalities.split('\\');
      const supported = list.some(modality => !['SEG', 'SR', 'RTSTRUCT', 'PR', 'KO', 'DOC', 'ECG'].includes(modality));
      return { valid: supported, description: 'MedSAM needs at least one image series.' };
    },
    routes: [
      {
        path: 'medsam',
        layoutTemplate: () => structuredClone(medsamLayout),
      },
    ],
    extensions: extensionDependencies,
    hangingProtocol: 'default',
    sopClassHandlers: [dicomSeg.sopClassHandler, ohif.sopClassHandler],
  };
}

const mode = {
  id: MODE_ID,
  modeFactory,
  extensionDependencies,
};

export default mode;
