/**
 * The parts of the host's Cornerstone3D that the extension uses, typed
 * structurally. The extension never bundles @cornerstonejs packages: it
 * takes the host's instances from the cornerstone extension's utility
 * module, so tools and caches are the ones the viewer renders with.
 */

export type Point3 = [number, number, number];

export interface CornerstoneImage {
  imageId: string;
  rows: number;
  columns: number;
  color: boolean;
  numberOfComponents?: number;
  slope: number;
  intercept: number;
  /** Set by the DICOM image loader when it applied the modality rescale itself. */
  preScale?: { enabled?: boolean; scaled?: boolean };
  getPixelData(): ArrayLike<number> & { length: number; buffer: ArrayBufferLike };
}

export interface ImagePlaneModule {
  imagePositionPatient: Point3;
  rowCosines: Point3;
  columnCosines: Point3;
  rowPixelSpacing: number;
  columnPixelSpacing: number;
  rows: number;
  columns: number;
}

export interface CornerstoneCore {
  cache: { getImage(imageId: string): CornerstoneImage | undefined };
  imageLoader: { loadAndCacheImage(imageId: string): Promise<CornerstoneImage> };
  metaData: { get(type: string, imageId: string): unknown };
  eventTarget: EventTarget;
  Enums?: { Events: { IMAGE_LOADED: string } };
  getEnabledElement(element: HTMLElement): { viewport: StackViewportLike } | undefined;
}

export interface StackViewportLike {
  id: string;
  element: HTMLElement;
  getCurrentImageId(): string;
  getImageIds?(): string[];
  setImageIdIndex?(index: number): Promise<string>;
  worldToCanvas(point: Point3): [number, number];
  render(): void;
}

export interface Annotation {
  annotationUID?: string;
  metadata: { toolName: string; referencedImageId?: string; FrameOfReferenceUID?: string };
  /** `medsamSegmentIndex` is the lesion segment a MedSAM box was drawn for, set when it is completed. */
  data: { handles: { points: Point3[] }; medsamSegmentIndex?: number };
}

export interface AnnotationEventDetail {
  annotation: Annotation;
  element?: HTMLElement;
}

/** The constructor of a Cornerstone annotation tool class. */
export type ToolClass = (new (...args: never[]) => object) & { toolName: string };

export interface CornerstoneTools {
  addTool(tool: ToolClass): void;
  RectangleROITool: ToolClass;
  Enums: {
    Events: {
      ANNOTATION_COMPLETED: string;
      ANNOTATION_MODIFIED: string;
      ANNOTATION_REMOVED: string;
      SEGMENTATION_DATA_MODIFIED: string;
    };
  };
  annotation: { state: { removeAnnotation(annotationUID: string): void; getAllAnnotations(): Annotation[] } };
  segmentation: {
    state: {
      getSegmentation(segmentationId: string):
        | { representationData: { Labelmap?: { imageIds: string[]; referencedImageIds?: string[] } } }
        | undefined;
    };
    triggerSegmentationEvents: { triggerSegmentationDataModified(segmentationId: string): void };
  };
  state?: { tools: Record<string, unknown> };
}

export interface CornerstoneLibraries {
  cornerstone: CornerstoneCore;
  cornerstoneTools: CornerstoneTools;
}
