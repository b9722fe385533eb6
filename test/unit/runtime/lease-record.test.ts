// Lease expiry as client-go computes it: by OUR clock, from when we first saw the current record; the holder's
// own timestamps (another machine's clock) never decide anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expiresAt,
  heldByOther,
  microTime,
  nextRecord,
  observe,
  recordOf,
  releasedRecord,
} from '../../../src/runtime/lease-record.ts';
import type { LeaseRecord } from '../../../src/runtime/lease-record.ts';

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function record(overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  return {
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    acquireTime: microTime(t0),
    renewTime: microTime(t0),
    leaseTransitions: 3,
    ...overrides,
  };
}

describe('lease expiry', () => {
  it('protects the holder for leaseDurationSeconds after we first saw the record', () => {
    // GIVEN a record held by "a", first seen at t0
    const seen = observe(undefined, record(), t0);
    // THEN "b" may not take it until 15 s later by our clock, and may from then on
    assert.equal(expiresAt(seen), t0 + 15_000);
    assert.equal(heldByOther(seen, 'b', t0 + 14_999), true);
    assert.equal(heldByOther(seen, 'b', t0 + 15_000), false);
  });

  it('ignores how old the holder says its renewal is', () => {
    // GIVEN a record whose renewTime is a day behind our clock (skewed or stale clock on the holder)
    const stale = record({ renewTime: microTime(t0 - 86_400_000) });
    // WHEN we see it for the first time now
    const seen = observe(undefined, stale, t0);
    // THEN it still protects its holder for a full lease duration from now
    assert.equal(heldByOther(seen, 'b', t0 + 1_000), true);
  });

  it('keeps the first-seen time while the record is unchanged', () => {
    // GIVEN a record seen at t0 and read again, unchanged, at t0 + 10 s
    const first = observe(undefined, record(), t0);
    const again = observe(first, record(), t0 + 10_000);
    // THEN it still expires 15 s after t0: re-reading is not renewing
    assert.equal(again.observedAt, t0);
    assert.equal(heldByOther(again, 'b', t0 + 15_000), false);
  });

  it('restarts the clock when the holder renews', () => {
    // GIVEN a record seen at t0, then renewed (renewTime moved) and seen at t0 + 10 s
    const first = observe(undefined, record(), t0);
    const renewed = observe(first, record({ renewTime: microTime(t0 + 9_000) }), t0 + 10_000);
    // THEN the holder is protected until t0 + 25 s
    assert.equal(renewed.observedAt, t0 + 10_000);
    assert.equal(heldByOther(renewed, 'b', t0 + 24_999), true);
  });

  it('never counts our own lease, or a released one, as held by another', () => {
    const seen = observe(undefined, record({ holderIdentity: 'b' }), t0);
    assert.equal(heldByOther(seen, 'b', t0), false);
    const released = observe(undefined, releasedRecord(record(), t0), t0);
    assert.equal(heldByOther(released, 'b', t0), false);
  });

  it('reads a lease with missing fields as empty', () => {
    const r = recordOf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' } });
    assert.deepEqual(r, {
      holderIdentity: '',
      leaseDurationSeconds: 0,
      acquireTime: '',
      renewTime: '',
      leaseTransitions: 0,
    });
  });
});

describe('the record we write', () => {
  it('starts at zero transitions when creating the lease', () => {
    const r = nextRecord(undefined, 'a', 15, t0);
    assert.deepEqual(r, {
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: microTime(t0),
      renewTime: microTime(t0),
      leaseTransitions: 0,
    });
  });

  it('keeps acquireTime and the transition count when renewing', () => {
    const r = nextRecord(record(), 'a', 15, t0 + 2_000);
    assert.equal(r.acquireTime, microTime(t0));
    assert.equal(r.renewTime, microTime(t0 + 2_000));
    assert.equal(r.leaseTransitions, 3);
  });

  it('counts a transition and starts a new term when taking over', () => {
    const r = nextRecord(record(), 'b', 15, t0 + 20_000);
    assert.equal(r.holderIdentity, 'b');
    assert.equal(r.acquireTime, microTime(t0 + 20_000));
    assert.equal(r.leaseTransitions, 4);
  });

  it('gives the lease up without a holder and keeps the transition count', () => {
    const r = releasedRecord(record(), t0 + 5_000);
    assert.equal(r.holderIdentity, '');
    assert.equal(r.leaseDurationSeconds, 1);
    assert.equal(r.renewTime, microTime(t0 + 5_000));
    assert.equal(r.leaseTransitions, 3);
  });

  it('writes times as metav1.MicroTime: six fractional digits', () => {
    assert.equal(microTime(t0 + 123), '2026-01-01T12:00:00.123000Z');
  });
});
