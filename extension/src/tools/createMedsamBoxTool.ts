import type { CornerstoneTools, ToolClass } from '../cornerstoneTypes';

/** Tool name of the MedSAM box prompt, as registered with Cornerstone. */
export const MEDSAM_BOX_TOOL_NAME = 'MedsamBox';

/**
 * Creates the box prompt tool from the host's own cornerstone tools, so it
 * shares the viewer's annotation state and rendering. It is a rectangle
 * annotation under its own name: completing or moving one runs MedSAM.
 */
export function createMedsamBoxTool(cornerstoneTools: CornerstoneTools): ToolClass {
  const Base = cornerstoneTools.RectangleROITool as unknown as new (...args: never[]) => object;
  class MedsamBoxTool extends Base {
    static toolName = MEDSAM_BOX_TOOL_NAME;
  }
  return MedsamBoxTool as unknown as ToolClass;
}

/** Adds the tool to Cornerstone's registry once per page. */
export function registerMedsamBoxTool(cornerstoneTools: CornerstoneTools): void {
  const registered = cornerstoneTools.state?.tools?.[MEDSAM_BOX_TOOL_NAME];
  if (!registered) {
    cornerstoneTools.addTool(createMedsamBoxTool(cornerstoneTools));
  }
}
