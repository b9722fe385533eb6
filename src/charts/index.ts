// Helm chart rendering for meshop: Istio's own charts evaluated by Go's text/template and sprig, compiled to
// WebAssembly (engine/, built by hack/build-engine.sh). See docs/adr/0014-chart-engine.md.
export { readChartDir } from './chart.ts';
export type { ChartFile, ChartSource } from './chart.ts';
export { ChartRenderError, loadChartEngine, startChartEngine } from './engine.ts';
export {
  chartEngineAt,
  defaultChartEngineIdleReleaseMs,
  loadedChartEngines,
  onChartEngineStopped,
  setChartEngineIdleRelease,
} from './engine-thread.ts';
export type { ChartEngine } from './engine.ts';
export type {
  ClusterCapabilities,
  ReleaseOptions,
  RenderRequest,
  RenderResult,
  RenderedManifest,
  RenderedTemplate,
} from './protocol.ts';
