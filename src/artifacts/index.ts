// src/artifacts: Istio's per-version release data (charts, profiles, API definitions), built and loaded.
export * from './layout.ts';
export * from './load.ts';
export * from './build.ts';
export type { RenderCache } from './render-cache.ts';
export type { DerivedCache } from './derived-cache.ts';
