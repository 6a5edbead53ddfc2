import { MEDSAM_BOX_TOOL_NAME } from '../../extension/src/publicApi';

interface ToolsUtilityModule {
  exports: {
    toolNames: Record<string, string>;
    Enums: { MouseBindings: Record<string, number> };
  };
}

interface ToolGroupService {
  createToolGroupAndAddTools(toolGroupId: string, tools: Record<string, unknown[]>): void;
}

/**
 * Creates the `default` tool group of the stack viewports: navigation
 * tools bound to the mouse, the MedSAM box and OHIF's labelmap editing tools
 * (brush, eraser, threshold) passive until the toolbar activates them.
 */
export function createToolGroups({
  extensionManager,
  toolGroupService,
}: {
  extensionManager: { getModuleEntry(id: string): unknown };
  toolGroupService: unknown;
}): void {
  const utilityModule = extensionManager.getModuleEntry(
    '@ohif/extension-cornerstone.utilityModule.tools'
  ) as ToolsUtilityModule;
  const { toolNames, Enums } = utilityModule.exports;
  const brush = (toolName: string, activeStrategy: string, extra: Record<string, unknown> = {}) => ({
    toolName,
    parentTool: 'Brush',
    configuration: { activeStrategy, minRadius: 0.5, maxRadius: 99.5, ...extra },
  });

  const tools = {
    active: [
      { toolName: toolNames.WindowLevel, bindings: [{ mouseButton: Enums.MouseBindings.Primary }] },
      { toolName: toolNames.Pan, bindings: [{ mouseButton: Enums.MouseBindings.Auxiliary }] },
      { toolName: toolNames.Zoom, bindings: [{ mouseButton: Enums.MouseBindings.Secondary }] },
      { toolName: toolNames.StackScroll, bindings: [{ mouseButton: Enums.MouseBindings.Wheel }] },
    ],
    passive: [
      { toolName: MEDSAM_BOX_TOOL_NAME },
      brush('CircularBrush', 'FILL_INSIDE_CIRCLE'),
      brush('CircularEraser', 'ERASE_INSIDE_CIRCLE'),
      brush('ThresholdCircularBrush', 'THRESHOLD_INSIDE_CIRCLE'),
      { toolName: toolNames.SegmentSelect },
      { toolName: toolNames.RectangleROI },
      { toolName: toolNames.Length },
    ].filter(tool => Boolean(tool.toolName)),
  };
  (toolGroupService as ToolGroupService).createToolGroupAndAddTools('default', tools);
}
