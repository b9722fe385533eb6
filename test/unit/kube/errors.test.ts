import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiError,
  TransportError,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isRetryable,
} from '../../../src/kube/index.ts';
import type { ApiStatus } from '../../../src/kube/index.ts';

const status = (reason: string, code: number, extra: Partial<ApiStatus> = {}): ApiStatus => ({
  kind: 'Status',
  status: 'Failure',
  reason,
  code,
  message: `${reason} happened`,
  ...extra,
});

describe('API errors', () => {
  it('classifies by the Status reason the server sent', () => {
    assert.ok(isNotFound(new ApiError('get x', 404, status('NotFound', 404))));
    assert.ok(isConflict(new ApiError('apply x', 409, status('Conflict', 409))));
    assert.ok(isForbidden(new ApiError('list x', 403, status('Forbidden', 403))));
    assert.ok(isInvalid(new ApiError('apply x', 422, status('Invalid', 422))));
  });

  it('falls back to the HTTP code when the body is not a Status', () => {
    const err = new ApiError('get x', 404, undefined);
    assert.ok(isNotFound(err));
    assert.equal(err.message, 'get x: 404 NotFound: no message');
  });

  it('treats 410 Gone and Expired as "relist"', () => {
    assert.ok(isGone(new ApiError('watch x', 410, status('Expired', 410))));
    assert.ok(isGone(new ApiError('watch x', 410, undefined)));
    assert.ok(!isGone(new ApiError('watch x', 404, undefined)));
  });

  it('exposes the field paths of an Invalid answer', () => {
    const err = new ApiError(
      'apply MeshConfig demo',
      422,
      status('Invalid', 422, {
        details: { causes: [{ field: 'spec.revision', message: 'must be a DNS-1123 label' }] },
      }),
    );
    assert.deepEqual(err.fieldCauses, [{ field: 'spec.revision', message: 'must be a DNS-1123 label' }]);
  });

  it('retries transport failures and busy servers, not verdicts', () => {
    assert.ok(isRetryable(new TransportError('get x', new Error('ECONNREFUSED'))));
    assert.ok(isRetryable(new ApiError('get x', 429, status('TooManyRequests', 429))));
    assert.ok(isRetryable(new ApiError('get x', 503, undefined)));
    assert.ok(!isRetryable(new ApiError('get x', 422, status('Invalid', 422))));
    assert.ok(!isRetryable(new ApiError('get x', 404, undefined)));
    assert.ok(!isRetryable(new Error('plain')));
  });
});
