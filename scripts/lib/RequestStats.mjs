const RECENT_LIMIT = 500;

/** Returns the path prefix that requests are counted under, e.g. `/dicom-web` or `/medsam/models`. */
export function pathPrefixOf(pathname) {
  if (pathname.startsWith('/medsam/models/')) return '/medsam/models';
  const match = /^\/[^/]+(?=\/)/.exec(pathname);
  return match ? match[0] : '/';
}

/**
 * Request counters of the viewer server, served at `/__medsam/stats` so that
 * end-to-end tests can check which requests a page made. Paths are stored
 * without their query string, because QIDO queries can carry patient names.
 */
export class RequestStats {
  constructor() {
    this.startedAt = new Date().toISOString();
    this.total = 0;
    this.byPrefix = {};
    this.byStatus = {};
    this.byMethodAndPrefix = {};
    this.proxyErrors = 0;
    this.recent = [];
  }

  /** Counts one finished request. */
  record({ method, pathname, status, durationMs }) {
    const prefix = pathPrefixOf(pathname);
    const key = `${method} ${prefix}`;
    this.total++;
    this.byPrefix[prefix] = (this.byPrefix[prefix] ?? 0) + 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    this.byMethodAndPrefix[key] = (this.byMethodAndPrefix[key] ?? 0) + 1;
    this.recent.push({ method, path: pathname, status, durationMs });
    if (this.recent.length > RECENT_LIMIT) this.recent.shift();
  }

  recordProxyError() {
    this.proxyErrors++;
  }

  toJSON() {
    return {
      startedAt: this.startedAt,
      total: this.total,
      byPrefix: this.byPrefix,
      byStatus: this.byStatus,
      byMethodAndPrefix: this.byMethodAndPrefix,
      proxyErrors: this.proxyErrors,
      recent: this.recent,
    };
  }
}
