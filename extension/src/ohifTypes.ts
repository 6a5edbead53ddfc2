/**
 * The parts of OHIF's managers and services that the extension calls,
 * typed structurally (OHIF 3.13 ships UMD builds without usable types).
 */

export interface DisplaySet {
  displaySetInstanceUID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  Modality: string;
  SeriesNumber?: number;
  SeriesDescription?: string;
  imageIds?: string[];
  instances?: Record<string, unknown>[];
}

export interface DisplaySetService {
  getActiveDisplaySets(): DisplaySet[];
  getDisplaySetByUID(uid: string): DisplaySet | undefined;
}

export interface SegmentationService {
  createLabelmapForDisplaySet(
    displaySet: DisplaySet,
    options: { label: string; segmentationId?: string; segments: Record<number, { label: string; active?: boolean }> }
  ): Promise<string>;
  addSegmentationRepresentation(viewportId: string, options: { segmentationId: string }): Promise<void>;
  getSegmentation(segmentationId: string): unknown;
  setActiveSegment?(segmentationId: string, segmentIndex: number): void;
  addSegment(segmentationId: string, config: { segmentIndex: number; label: string }): void;
  setSegmentLabel?(segmentationId: string, segmentIndex: number, label: string): void;
}

export interface ViewportGridService {
  getState(): { activeViewportId: string; viewports: Map<string, { displaySetInstanceUIDs: string[] }> };
}

export interface UINotificationService {
  show(options: { title: string; message: string; type: 'info' | 'success' | 'warning' | 'error'; duration?: number }): void;
}

export interface ToolGroupService {
  getToolGroupForViewport(viewportId: string): { id: string } | undefined;
}

export interface CornerstoneViewportService {
  getCornerstoneViewport(viewportId: string): unknown;
}

export interface OhifServices {
  displaySetService: DisplaySetService;
  segmentationService: SegmentationService;
  viewportGridService: ViewportGridService;
  uiNotificationService: UINotificationService;
  toolGroupService: ToolGroupService;
  cornerstoneViewportService: CornerstoneViewportService;
}

export interface ServicesManager {
  services: OhifServices & Record<string, unknown>;
  registerService(registration: ServiceRegistration): void;
}

export interface ServiceRegistration {
  name: string;
  altName?: string;
  create(options: { servicesManager: ServicesManager; configuration?: unknown }): unknown;
}

export interface DataSource {
  getConfig?(): { wadoRoot?: string; qidoRoot?: string } | undefined;
}

export interface ExtensionManager {
  getModuleEntry(id: string): { exports: Record<string, unknown> } | undefined;
  getActiveDataSource(): DataSource[];
  registeredExtensionIds: string[];
}

export interface CommandsManager {
  runCommand(name: string, options?: Record<string, unknown>, context?: string): unknown;
}
