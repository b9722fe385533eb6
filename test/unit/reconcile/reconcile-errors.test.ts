// The retry table keeps an error's class through wrapping: context added on the way up must not turn a spec the
// user has to fix into an endless backoff, nor a lost update race into a slow one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/kube/index.ts';
import {
  InvalidSpecError,
  Retry,
  VersionSkewError,
  classify,
} from '../../../src/reconcile/reconcile-errors.ts';

describe('classify', () => {
  it('finds the class of an error wrapped once or twice', () => {
    const spec = new InvalidSpecError('spec.components.pilot.k8s.overlays[0]: may not change rules');
    assert.deepEqual(classify(spec), { retry: Retry.Never, reason: 'InvalidSpec' });
    const once = new Error('rendering mesh prod', { cause: spec });
    const twice = new Error('reconciling prod', { cause: once });
    assert.deepEqual(classify(twice), { retry: Retry.Never, reason: 'InvalidSpec' });
    assert.equal(
      classify(new Error('x', { cause: new VersionSkewError('1.29 -> 1.31') })).retry,
      Retry.Never,
    );
  });

  it('keeps a wrapped 409 a lost race: retried, with its own reason', () => {
    const conflict = new ApiError('patch status', 409, undefined);
    assert.deepEqual(classify(new Error('status patch', { cause: conflict })), {
      retry: Retry.Backoff,
      reason: 'ApplyConflict',
    });
  });

  it('backs off on anything it does not know, and on a cause chain that loops', () => {
    assert.deepEqual(classify(new Error('socket hang up')), { retry: Retry.Backoff, reason: 'ApplyFailed' });
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(classify(a).retry, Retry.Backoff);
    assert.equal(classify('a string').retry, Retry.Backoff);
  });
});
