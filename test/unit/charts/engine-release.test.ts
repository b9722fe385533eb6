// The engine chartEngineAt shares runs on a thread that is let go once it has sat unused (an operator converged
// for hours does not hold it), and a render after that starts it again, through the same handle, with the same
// output; a file that does not load is the caller's error at once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  chartEngineAt,
  loadedChartEngines,
  onChartEngineStopped,
  readChartDir,
  setChartEngineIdleRelease,
} from '../../../src/charts/index.ts';
import type { ChartEngine, RenderResult } from '../../../src/charts/index.ts';
import { chartEngineWasm, testdata } from './engine-fixture.ts';

const chart = await readChartDir(testdata('basic'));
const render = (engine: ChartEngine): RenderResult =>
  engine.render({ chart, values: {}, release: { name: 'demo', namespace: 'demo-ns' } });

/** Waits (without a deadline of its own: the test runner's timeout bounds it) until no engine is held. */
async function untilReleased(): Promise<void> {
  while (loadedChartEngines() > 0) await sleep(10);
}

describe('chartEngineAt', () => {
  after(() => {
    setChartEngineIdleRelease(60_000);
  });

  it('lets an unused engine go, and loads it again for the next render', async () => {
    // GIVEN engines let go after 50 ms unused
    setChartEngineIdleRelease(50);
    const engine = chartEngineAt(chartEngineWasm());
    const first = render(engine);
    assert.equal(loadedChartEngines(), 1);
    // WHEN nothing renders for a while
    await untilReleased();
    // THEN the same handle renders again (the engine loaded anew), with the same output
    assert.deepEqual(render(engine), first);
    assert.equal(loadedChartEngines(), 1);
    await untilReleased();
  });

  it('tells its listeners once the thread has ended (its memory is then for a collection to give back)', async () => {
    setChartEngineIdleRelease(50);
    let stopped = 0;
    const unsubscribe = onChartEngineStopped(() => stopped++);
    render(chartEngineAt(chartEngineWasm()));
    await untilReleased();
    while (stopped === 0) await sleep(10);
    unsubscribe();
    render(chartEngineAt(chartEngineWasm()));
    await untilReleased();
    await sleep(100);
    assert.equal(stopped, 1, 'an unsubscribed listener hears nothing more');
  });

  it('holds the engine for the life of the process when the release is off', async () => {
    setChartEngineIdleRelease(0);
    render(chartEngineAt(chartEngineWasm()));
    await sleep(200);
    assert.equal(loadedChartEngines(), 1);
  });

  it('throws what loading threw, with its code, at once', () => {
    const before = loadedChartEngines();
    assert.throws(
      () => chartEngineAt('/nonexistent/chart-engine.wasm'),
      (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && err.message.includes('nonexistent'),
    );
    assert.equal(loadedChartEngines(), before, 'no thread is kept for an engine that did not load');
  });
});
