/**
 * Records the model files that a browser context fetches over the network,
 * with the response body size that Chromium reports for each. The requests
 * of dedicated workers (the inference worker) reach the context's events.
 */
import type { BrowserContext, Request } from 'playwright-core';

export interface ModelFileTransfer {
  /** File name below the model folder, e.g. encoder.onnx. */
  file: string;
  status: number;
  /** Response body bytes received, from `request.sizes()`; 0 for a failed request or when the sizes were unavailable. */
  bodyBytes: number;
  failed: boolean;
}

export interface ModelTransferRecorder {
  /** Waits for the sizes of every finished request, then returns the transfers so far. */
  settle(): Promise<ModelFileTransfer[]>;
  /** Forgets the transfers recorded so far. */
  clear(): void;
  stop(): void;
}

const MODEL_FILE_PATTERN = /\/medsam\/models\/[^/]+\/([^/?]+\.onnx)(?:\?|$)/;

const SETTLE_TIMEOUT_MS = 30_000;

/** Starts recording `.onnx` requests of `context`. */
export function recordModelTransfers(context: BrowserContext): ModelTransferRecorder {
  let transfers: ModelFileTransfer[] = [];
  // Requests sent and not yet recorded. Chromium can report a request as
  // finished after the page has already shown the result of reading it.
  const open = new Set<Request>();

  const onRequest = (request: Request) => {
    if (MODEL_FILE_PATTERN.test(request.url())) {
      open.add(request);
    }
  };
  const onFinished = async (request: Request) => {
    const file = MODEL_FILE_PATTERN.exec(request.url())?.[1];
    if (!file) {
      return;
    }
    try {
      const response = await request.response();
      const sizes = await request.sizes();
      transfers.push({ file, status: response?.status() ?? 0, bodyBytes: sizes.responseBodySize, failed: false });
    } catch {
      // The page navigated away or closed before Chromium reported the sizes.
      transfers.push({ file, status: 0, bodyBytes: 0, failed: true });
    } finally {
      open.delete(request);
    }
  };
  const onFailed = (request: Request) => {
    const file = MODEL_FILE_PATTERN.exec(request.url())?.[1];
    if (file) {
      transfers.push({ file, status: 0, bodyBytes: 0, failed: true });
      open.delete(request);
    }
  };
  context.on('request', onRequest);
  context.on('requestfinished', onFinished);
  context.on('requestfailed', onFailed);

  return {
    async settle() {
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (open.size > 0) {
        if (Date.now() > deadline) {
          const urls = [...open].map(request => request.url()).join(', ');
          throw new Error(`Model file requests did not finish within ${SETTLE_TIMEOUT_MS} ms: ${urls}`);
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return [...transfers];
    },
    clear() {
      transfers = [];
      open.clear();
    },
    stop() {
      context.off('request', onRequest);
      context.off('requestfinished', onFinished);
      context.off('requestfailed', onFailed);
    },
  };
}
