/**
 * Launches headless Chromium through playwright-core for end-to-end tests and
 * records every request URL made by the page, its frames and its workers.
 */
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

/**
 * Flags for the Debian Chromium in a container without a GPU, as root.
 * The networking flags keep Chromium from contacting Google services, and
 * `--enable-unsafe-webgpu` exposes the software WebGPU adapter.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export interface RecordedRequest {
  url: string;
  method: string;
  resourceType: string;
  /** 'page' for the page, its frames and dedicated workers; 'service-worker' for service workers. */
  source: 'page' | 'service-worker';
}

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request seen so far, in order. */
  requests: RecordedRequest[];
  /** Messages the page logged, for failure output. */
  consoleMessages: string[];
  /** Closes the browser; Playwright deletes the temporary profile. */
  close: () => Promise<void>;
}

export interface LaunchBrowserOptions {
  /** Chromium executable; default MEDSAM_CHROMIUM or /usr/bin/chromium. */
  executablePath?: string;
  /** Extra command-line flags. */
  args?: string[];
  viewport?: { width: number; height: number };
}

/**
 * Launches Chromium in a new browser context. Playwright starts Chromium
 * with a fresh temporary profile (`--user-data-dir`) and deletes it on close.
 *
 * Request recording: `context.on('request')` reports requests of the page,
 * its frames and its dedicated workers (checked with playwright-core 1.57 in
 * tests/e2e/viewerServes.test.ts, with a worker that fetches a URL).
 * Service-worker requests arrive there too, with `request.serviceWorker()` set.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = options.executablePath ?? process.env.MEDSAM_CHROMIUM ?? '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const requests: RecordedRequest[] = [];
  const consoleMessages: string[] = [];

  const record = (request: Request, source: RecordedRequest['source']) => {
    requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), source });
  };
  context.on('request', (request) => record(request, request.serviceWorker() ? 'service-worker' : 'page'));

  const page = await context.newPage();
  page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleMessages.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) => consoleMessages.push(`worker started: ${worker.url()}`));

  const close = async () => {
    await browser.close();
  };
  return { browser, context, page, requests, consoleMessages, close };
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Returns the recorded requests whose URL is neither loopback nor a local scheme (data:, blob:). */
export function findNonLoopbackRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => {
    const url = new URL(request.url);
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return false;
    return !LOOPBACK_HOSTNAMES.has(url.hostname);
  });
}

/** Throws, listing the URLs, when any recorded request went to a host other than loopback. */
export function assertOnlyLoopbackRequests(requests: RecordedRequest[]): void {
  const outside = findNonLoopbackRequests(requests);
  if (outside.length > 0) {
    throw new Error(
      `${outside.length} request(s) went to a host other than loopback:\n` +
        outside.map((request) => `  ${request.method} ${request.url} (${request.source})`).join('\n'),
    );
  }
}
