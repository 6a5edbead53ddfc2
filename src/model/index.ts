export * from './ModelManifest';
export { parseModelManifest, selectEncoder } from './parseModelManifest';
