// src/catalog: the supported Istio releases and their per-version facts.
export * from './versions.ts';
