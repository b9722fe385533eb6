// src/artifacts: Istio's per-version release data (CRD schemas, injection templates), loaded from a directory.
export * from './layout.ts';
export * from './load.ts';
export * from './build.ts';
export type { RenderCache } from './render-cache.ts';
