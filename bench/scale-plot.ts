// The picture bench/scale leaves behind (bench/out/scale.png): reconcile latency and operator memory against
// cluster size, side by side, so growth is visible at a glance. Vega-Lite draws it as SVG (no browser, no
// canvas), resvg turns the SVG into a PNG with a font from the machine (fonts-dejavu-core, installed by deps.sh).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export interface ScalePoint {
  pods: number;
  rssMiB: number;
  /** RSS of a freshly started operator at the same size (after the resync). */
  freshRssMiB: number;
  p50Ms: number;
  p99Ms: number;
}

const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** One line chart against cluster size. */
function panel(title: string, values: object[], y: { field: string; title: string }) {
  return {
    title,
    width: 360,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      // Sizes grow by factors: a log axis spaces them evenly.
      x: { field: 'pods', type: 'quantitative', title: 'pods in the cluster', scale: { type: 'log' } },
      y: { ...y, type: 'quantitative' },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as const;
}

function spec(points: readonly ScalePoint[], title: string): TopLevelSpec {
  const latency = points.flatMap((p) => [
    { pods: p.pods, series: 'p50', ms: p.p50Ms },
    { pods: p.pods, series: 'p99', ms: p.p99Ms },
  ]);
  const memory = points.flatMap((p) => [
    { pods: p.pods, series: 'RSS, grown', mib: p.rssMiB },
    { pods: p.pods, series: 'RSS, fresh start', mib: p.freshRssMiB },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { font: 'DejaVu Sans', background: 'white' },
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      panel('reconcile time under 100 changes/s', latency, { field: 'ms', title: 'ms' }),
      panel('operator memory', memory, { field: 'mib', title: 'RSS (MiB)' }),
    ],
  };
}

/** Writes the plot of `points` to `file` (a PNG). */
export async function writeScalePlot(
  file: string,
  points: readonly ScalePoint[],
  title: string,
): Promise<void> {
  const view = new View(parse(compile(spec(points, title)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 2 },
  })
    .render()
    .asPng();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, png);
}
