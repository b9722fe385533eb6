// What a test needs to call the reconciler directly: the real release data (or fixture releases), no events,
// usage read through the API (the operator uses informers; a test calls reconcileMesh step by step).
import type { ObjectClient } from '../../src/kube/index.ts';
import { artifactsDirectory, listedUsage } from '../../src/reconcile/index.ts';
import type { ReconcilerDeps, ReleaseSource } from '../../src/reconcile/index.ts';
import { artifactsRoot } from './render-fixtures.ts';

export function reconcilerDeps(client: ObjectClient, releases?: ReleaseSource): ReconcilerDeps {
  return {
    client,
    releases: releases ?? artifactsDirectory(artifactsRoot),
    now: () => new Date(),
    events: { record: () => Promise.resolve() },
    usage: listedUsage(client),
  };
}
