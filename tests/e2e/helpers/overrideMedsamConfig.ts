import type { Page } from 'playwright-core';

/**
 * Makes the next page loads see `window.config.medsam` with `overrides`
 * applied, by rewriting the served app-config.js inside the browser. The
 * request still goes to the test server; only its body changes. Undo with
 * `page.unrouteAll()`.
 */
export async function overrideMedsamConfig(page: Page, overrides: Record<string, unknown>): Promise<void> {
  await page.route('**/app-config.js', async route => {
    const response = await route.fetch();
    const original = await response.text();
    const assignment = 'window.config.medsam = medsam;';
    if (!original.includes(assignment)) {
      throw new Error(`app-config.js has no "${assignment}" line to override.`);
    }
    const script = original.replace(assignment, `window.config.medsam = { ...medsam, ...${JSON.stringify(overrides)} };`);
    await route.fulfill({ response, body: script });
  });
}
