/** Names the MedSAM mode (or a site's own mode) uses to wire the extension in. */
export { EXTENSION_ID, PANEL_ID } from './id';
export { MEDSAM_BOX_TOOL_NAME } from './tools/createMedsamBoxTool';
export type { MedsamService } from './MedsamService';
