// Cross-origin isolation makes SharedArrayBuffer available, which
// onnxruntime-web's multi-threaded WASM backend needs. The headers go on every
// response, proxied DICOMweb responses included, because a COEP page rejects
// any subresource without a matching CORP header.
export const ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** Sets the isolation headers on a response that has not sent its head yet. */
export function setIsolationHeaders(response) {
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) response.setHeader(name, value);
}
