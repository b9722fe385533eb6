// Shared setup for the chart tests: one engine for the whole file, built (or found in the cache) by
// hack/build-engine.sh unless MESHOP_CHART_ENGINE_WASM names a wasm file already.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadChartEngine, readChartDir } from '../../../src/charts/index.ts';
import type { ChartEngine, RenderResult, RenderRequest } from '../../../src/charts/index.ts';
import type { JsonObject } from '../../../src/tree/index.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function chartEngineWasm(): string {
  const fromEnv = process.env.MESHOP_CHART_ENGINE_WASM;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const script = fileURLToPath(new URL('hack/build-engine.sh', `file://${repoRoot}`));
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

let shared: Promise<ChartEngine> | undefined;

export function sharedEngine(): Promise<ChartEngine> {
  shared ??= loadChartEngine(chartEngineWasm());
  return shared;
}

export function testdata(name: string): string {
  return fileURLToPath(new URL(`testdata/${name}`, import.meta.url));
}

/** Renders a chart directory with the given values as release `demo` in namespace `demo-ns`. */
export async function renderDir(
  dir: string,
  values: JsonObject = {},
  extra: Partial<Omit<RenderRequest, 'chart' | 'values'>> = {},
): Promise<RenderResult> {
  const engine = await sharedEngine();
  return engine.render({
    chart: await readChartDir(dir),
    values,
    release: { name: 'demo', namespace: 'demo-ns' },
    ...extra,
  });
}

/** The output of one template, by its file name under templates/. */
export function outputOf(result: RenderResult, file: string): string {
  const found = result.templates.find((t) => t.name === `${result.chart}/templates/${file}`);
  if (found === undefined)
    throw new Error(`no template ${file} in ${result.templates.map((t) => t.name).join(', ')}`);
  return found.output;
}
