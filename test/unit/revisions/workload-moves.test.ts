// Which workload a pod on an old revision moves with: one decision for `meshop upgrade --dry-run` and the
// operator's migration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podMove, replicaSetsOf } from '../../../src/revisions/index.ts';

const owned = (name: string, kind: string, owner: string, controller = true) => ({
  metadata: {
    name,
    namespace: 'shop',
    ownerReferences: [{ apiVersion: 'apps/v1', kind, name: owner, uid: 'u', controller }],
  },
});

describe('podMove', () => {
  const replicaSets = new Map([
    ['shop/web-5d8f', { kind: 'Deployment', name: 'web' }],
    ['shop/lonely-1', undefined],
  ]);

  it('restarts the Deployment behind a ReplicaSet, and StatefulSets and DaemonSets directly', () => {
    assert.deepEqual(podMove(owned('web-5d8f-x', 'ReplicaSet', 'web-5d8f'), replicaSets), {
      restart: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    });
    assert.deepEqual(podMove(owned('db-0', 'StatefulSet', 'db'), replicaSets), {
      restart: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
    });
    assert.deepEqual(podMove(owned('agent-x', 'DaemonSet', 'agent'), replicaSets), {
      restart: { kind: 'DaemonSet', namespace: 'shop', name: 'agent' },
    });
  });

  it('leaves bare Pods, Jobs, bare ReplicaSets and unknown controllers to a person', () => {
    assert.deepEqual(podMove({ metadata: { name: 'debug', namespace: 'shop' } }, replicaSets), {
      manual: { namespace: 'shop', pod: 'debug' },
    });
    assert.deepEqual(podMove(owned('batch-x', 'Job', 'batch'), replicaSets), {
      manual: { namespace: 'shop', pod: 'batch-x', job: 'batch' },
    });
    assert.ok('manual' in podMove(owned('lonely-1-x', 'ReplicaSet', 'lonely-1'), replicaSets));
    assert.ok('manual' in podMove(owned('x', 'Rollout', 'canary'), replicaSets));
  });

  it('follows only the controller owner, never an owner that merely holds the pod for garbage collection', () => {
    assert.ok('manual' in podMove(owned('web-x', 'StatefulSet', 'db', false), replicaSets));
  });
});

describe('replicaSetsOf', () => {
  it('names each ReplicaSet to read once, sorted', () => {
    const pods = [
      owned('b-1', 'ReplicaSet', 'b'),
      owned('a-1', 'ReplicaSet', 'a'),
      owned('a-2', 'ReplicaSet', 'a'),
    ];
    assert.deepEqual(replicaSetsOf([...pods, owned('db-0', 'StatefulSet', 'db')]), ['shop/a', 'shop/b']);
  });
});
