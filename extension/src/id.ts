/** Extension id; modules are addressed as `${EXTENSION_ID}.panelModule.medsam` and so on. */
export const EXTENSION_ID = '@medsam/ohif-extension';

export const PANEL_ID = `${EXTENSION_ID}.panelModule.medsam`;
