// The arithmetic of leader election on a coordination.k8s.io/v1 Lease, as client-go does it: a lease expires
// `leaseDurationSeconds` after WE first saw its current record, by our own clock. The holder's timestamps come
// from another machine's clock and are never compared with ours.
import type { KubeObject } from '../kube/index.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** A lease's spec with every field present. */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

/** What we know about the lease: its record, and when (our clock, ms) we first saw that record. */
export interface Observation {
  record: LeaseRecord;
  observedAt: number;
}

export function recordOf(lease: Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: spec.acquireTime ?? '',
    renewTime: spec.renewTime ?? '',
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/**
 * Folds a freshly read record into what we knew: an unchanged record keeps the time we first saw it; any change
 * (a renewal moves renewTime) restarts the clock.
 */
export function observe(previous: Observation | undefined, record: LeaseRecord, now: number): Observation {
  if (previous && sameRecord(previous.record, record)) return previous;
  return { record, observedAt: now };
}

export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/** When (our clock, ms) the observed record stops protecting its holder. */
export function expiresAt(observation: Observation): number {
  return observation.observedAt + observation.record.leaseDurationSeconds * 1000;
}

/** Someone else holds the lease and has renewed it recently enough, by our clock: we must not take it. */
export function heldByOther(observation: Observation, identity: string, now: number): boolean {
  const holder = observation.record.holderIdentity;
  return holder !== '' && holder !== identity && now < expiresAt(observation);
}

/**
 * The record we write to acquire or renew. Renewing keeps acquireTime and the transition count; taking over
 * (from anyone else, or from an empty, released lease) starts a new term and counts a transition.
 */
export function nextRecord(
  current: LeaseRecord | undefined,
  identity: string,
  leaseDurationSeconds: number,
  now: number,
): LeaseRecord {
  const time = microTime(now);
  const renewing = current?.holderIdentity === identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing ? current.acquireTime || time : time,
    renewTime: time,
    leaseTransitions: current === undefined ? 0 : current.leaseTransitions + (renewing ? 0 : 1),
  };
}

/** The record that gives the lease up: no holder, so the next candidate to look takes it without waiting. */
export function releasedRecord(current: LeaseRecord, now: number): LeaseRecord {
  const time = microTime(now);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: time,
    renewTime: time,
    leaseTransitions: current.leaseTransitions,
  };
}

/** metav1.MicroTime's format: RFC 3339 in UTC with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
