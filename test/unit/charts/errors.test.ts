// Failures: a chart's errors come back as a ChartRenderError naming the template and line, and the engine keeps
// working afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartRenderError } from '../../../src/charts/index.ts';
import { renderDir, testdata } from './engine-fixture.ts';

async function renderError(chart: string, values = {}): Promise<ChartRenderError> {
  try {
    await renderDir(testdata(chart), values);
  } catch (err) {
    assert.ok(err instanceof ChartRenderError, String(err));
    return err;
  }
  assert.fail('expected the render to fail');
}

describe('errors', () => {
  it('reports fail with the chart’s message, template and line', async () => {
    const err = await renderError('failing', { mode: 'fail' });
    assert.match(err.message, /failing\/templates\/config\.gotmpl:7:\d+/);
    assert.match(err.message, /mode fail was requested$/);
  });

  it('reports a missing required value', async () => {
    const err = await renderError('failing', { mode: 'required' });
    assert.match(err.message, /config\.gotmpl:9:\d+.*name is required$/);
  });

  it('reports a failing function call with its location', async () => {
    const err = await renderError('failing', { mode: 'badcall' });
    assert.match(err.message, /config\.gotmpl:11:\d+.*index/);
  });

  it('reports a parse error with template and line', async () => {
    const err = await renderError('broken');
    assert.match(err.message, /parse error in broken\/templates\/b-broken\.gotmpl.*:4/);
  });

  it('refuses subcharts instead of ignoring them', async () => {
    const err = await renderError('with-subchart');
    assert.match(err.message, /charts\/child\/Chart\.yaml: subcharts/);
  });

  it('keeps rendering after a failed render', async () => {
    await renderError('failing', { mode: 'fail' });
    const result = await renderDir(testdata('failing'));
    assert.equal(result.manifests.length, 1);
  });
});
