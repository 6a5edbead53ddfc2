/**
 * The subset of `GPUDevice` the log listens to. The project does not depend
 * on the WebGPU type definitions, so the shape is declared here.
 */
export interface WebGpuDeviceEvents {
  addEventListener(type: 'uncapturederror', listener: (event: { error?: { message?: string } }) => void): void;
  readonly lost: Promise<{ reason?: string; message?: string }>;
  readonly queue: { onSubmittedWorkDone(): Promise<void> };
}

/** Maximum wait for the device's queue before the log is read anyway. */
const QUEUE_WAIT_LIMIT_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Collects the errors a WebGPU device reports without throwing: uncaptured
 * validation and out-of-memory errors, and the loss of the device.
 *
 * onnxruntime-web 1.31 does not turn them into a failed `session.run`. A
 * shader that does not compile (an fp16 shader on an adapter without
 * `shader-f16`, say) is reported to the console, and the run returns
 * wrong values. The worker therefore checks this log after every encoder
 * run on WebGPU.
 */
export class WebGpuErrorLog {
  private readonly errors: string[] = [];
  private device: WebGpuDeviceEvents | null = null;

  /**
   * Starts listening to `device`, once per device. Errors it reported before
   * the first call are not seen.
   */
  attach(device: WebGpuDeviceEvents): void {
    if (this.device === device) {
      return;
    }
    this.device = device;
    device.addEventListener('uncapturederror', event => {
      this.errors.push(event.error?.message?.split('\n')[0] ?? 'an unknown WebGPU error');
    });
    void device.lost.then(info => {
      this.errors.push(`the WebGPU device was lost (${info.reason ?? 'unknown reason'}): ${info.message ?? ''}`.trim());
    });
  }

  /** Drops the errors reported so far. */
  clear(): void {
    this.errors.length = 0;
  }

  /**
   * Waits until the device has finished the submitted work and its error
   * events have been dispatched, then returns and clears the errors
   * reported since the last call.
   */
  async take(): Promise<string[]> {
    if (this.device) {
      // A lost device may leave the promise pending, so the wait is bounded.
      await Promise.race([this.device.queue.onSubmittedWorkDone(), delay(QUEUE_WAIT_LIMIT_MS)]);
      // Error events are dispatched as tasks, so one more task turn lets them arrive.
      await delay(0);
    }
    return this.errors.splice(0);
  }
}
