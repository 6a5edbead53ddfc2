import type { CornerstoneLibraries } from '../../../extension/src/cornerstoneTypes';
import { LabelmapSnapshot } from '../../../extension/src/range/LabelmapSnapshot';

/** A labelmap of two 2x2 slices in the shape of Cornerstone's segmentation state and image cache. */
function fakeLibraries() {
  const slices = new Map([
    ['labelmap:a', new Uint8Array([0, 1, 2, 0])],
    ['labelmap:b', new Uint8Array([0, 0, 0, 0])],
  ]);
  const modified: string[] = [];
  const libraries = {
    cornerstone: {
      cache: { getImage: (imageId: string) => ({ getPixelData: () => slices.get(imageId)! }) },
    },
    cornerstoneTools: {
      segmentation: {
        state: {
          getSegmentation: () => ({
            representationData: { Labelmap: { imageIds: ['labelmap:a', 'labelmap:b'], referencedImageIds: ['image:a', 'image:b'] } },
          }),
        },
        triggerSegmentationEvents: { triggerSegmentationDataModified: (id: string) => modified.push(id) },
      },
    },
  } as unknown as CornerstoneLibraries;
  return { libraries, slices, modified };
}

describe('LabelmapSnapshot', () => {
  test('restore brings back kept slices', () => {
    const { libraries, slices } = fakeLibraries();
    const snapshot = new LabelmapSnapshot(libraries, 'segmentation');
    snapshot.keep('image:a');
    slices.get('labelmap:a')!.set([1, 1, 1, 1]);
    snapshot.restore();
    expect(Array.from(slices.get('labelmap:a')!)).toEqual([0, 1, 2, 0]);
  });

  test('second keep does not overwrite the first copy', () => {
    const { libraries, slices } = fakeLibraries();
    const snapshot = new LabelmapSnapshot(libraries, 'segmentation');
    snapshot.keep('image:a');
    slices.get('labelmap:a')!.set([1, 1, 1, 1]);
    snapshot.keep('image:a');
    snapshot.restore();
    expect(Array.from(slices.get('labelmap:a')!)).toEqual([0, 1, 2, 0]);
  });

  test('slices never kept stay as they are', () => {
    const { libraries, slices } = fakeLibraries();
    const snapshot = new LabelmapSnapshot(libraries, 'segmentation');
    snapshot.keep('image:a');
    slices.get('labelmap:b')!.set([3, 3, 3, 3]);
    snapshot.restore();
    expect(Array.from(slices.get('labelmap:b')!)).toEqual([3, 3, 3, 3]);
  });

  test('restore reports the data change', () => {
    const { libraries, modified } = fakeLibraries();
    const snapshot = new LabelmapSnapshot(libraries, 'segmentation');
    snapshot.keep('image:b');
    snapshot.restore();
    expect(modified).toEqual(['segmentation']);
  });
});
