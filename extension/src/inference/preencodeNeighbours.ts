import { createImageKey, type PreencodeItem } from '../../../src/protocol/workerMessages';
import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import type { CornerstoneLibraries } from '../cornerstoneTypes';
import { frameNumberOf } from '../imaging/readBoxInput';
import { readModalityImage } from '../imaging/readModalityImage';
import type { MedsamWorkerClient } from './MedsamWorkerClient';

export interface NeighbourRequest {
  libraries: CornerstoneLibraries;
  worker: MedsamWorkerClient;
  /** Image ids of the series in display order, and the index of the slice on screen. */
  imageIds: readonly string[];
  index: number;
  /** Slices to encode on each side. */
  count: number;
  intensityFor: (imageId: string, image: ModalityImage) => IntensityPolicy;
  /** Image keys known to be encoded; updated with what the worker encodes. */
  encodedKeys: Set<string>;
  /** Called with the image id of each slice that is encoded when the reply arrives. */
  onEncoded?: (imageId: string) => void;
}

/**
 * Loads the `count` slices on each side of the one on screen through the
 * host's image loader, nearest first, and sends the ones not encoded yet
 * to the worker, which encodes them while it is idle. Returns the number of slices the
 * worker encoded; any later request to the worker drops the rest.
 */
export async function preencodeNeighbours(request: NeighbourRequest): Promise<number> {
  const { libraries, worker, imageIds, index, count, intensityFor, encodedKeys, onEncoded } = request;
  const { cornerstone } = libraries;
  const items: PreencodeItem[] = [];
  const imageIdOfKey = new Map<string, string>();
  for (let distance = 1; distance <= count; distance++) {
    for (const neighbour of [index + distance, index - distance]) {
      const imageId = imageIds[neighbour];
      if (imageId === undefined) {
        continue;
      }
      const image = cornerstone.cache.getImage(imageId) ?? (await cornerstone.imageLoader.loadAndCacheImage(imageId));
      const instance = cornerstone.metaData.get('instance', imageId) as { SOPInstanceUID?: string } | undefined;
      if (!instance?.SOPInstanceUID) {
        continue;
      }
      const modalityImage = readModalityImage(image);
      const intensity = intensityFor(imageId, modalityImage);
      const imageKey = createImageKey(instance.SOPInstanceUID, frameNumberOf(imageId), intensity);
      if (!encodedKeys.has(imageKey)) {
        items.push({ imageKey, image: modalityImage, intensity });
        imageIdOfKey.set(imageKey, imageId);
      }
    }
  }
  if (items.length === 0) {
    return 0;
  }
  const reply = await worker.preencode(items);
  for (const key of [...reply.encoded, ...reply.cached]) {
    encodedKeys.add(key);
    onEncoded?.(imageIdOfKey.get(key) ?? '');
  }
  return reply.encoded.length;
}
