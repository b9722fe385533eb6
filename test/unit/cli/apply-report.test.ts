// What `operator init`, `install` and `operator remove` print per object: kubectl's words and names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { applyOutcome, DeleteOutcome, reportLine, resourceName } from '../../../src/cli/view/apply-report.ts';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string) => ({
  apiVersion,
  kind,
  metadata: namespace === undefined ? { name } : { name, namespace },
});

describe('apply report lines', () => {
  it('decides created, configured or unchanged from the resourceVersion before and after', () => {
    const at = (time: string, fields: Record<string, unknown>, rv: string) =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'x',
          resourceVersion: rv,
          managedFields: [
            { manager: 'meshop', operation: 'Apply', time, fieldsV1: fields },
            { manager: 'kube-apiserver', operation: 'Update', subresource: 'status', time: rv, fieldsV1: {} },
          ],
        },
      }) as KubeObject;
    const first = at('2026-12-06T10:00:00Z', { 'f:data': {} }, '12');
    assert.equal(applyOutcome(undefined, first, 'meshop'), 'created');
    assert.equal(applyOutcome(first, first, 'meshop'), 'unchanged');
    // Someone else (a controller writing the status) moved the resourceVersion: still nothing of ours.
    assert.equal(
      applyOutcome(first, at('2026-12-06T10:00:00Z', { 'f:data': {} }, '15'), 'meshop'),
      'unchanged',
    );
    assert.equal(
      applyOutcome(first, at('2026-12-06T10:05:00Z', { 'f:data': {} }, '16'), 'meshop'),
      'configured',
    );
    assert.equal(
      applyOutcome(first, at('2026-12-06T10:00:00Z', { 'f:data': {}, 'f:x': {} }, '17'), 'meshop'),
      'configured',
    );
  });

  it('names objects as kubectl does: kind, the group when not core, and the name (no namespace)', () => {
    assert.equal(resourceName(obj('v1', 'Namespace', 'meshop-system')), 'namespace/meshop-system');
    assert.equal(
      resourceName(obj('apps/v1', 'Deployment', 'meshop-operator', 'meshop-system')),
      'deployment.apps/meshop-operator',
    );
    assert.equal(
      resourceName(obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'meshconfigs.meshop.dev')),
      'customresourcedefinition.apiextensions.k8s.io/meshconfigs.meshop.dev',
    );
  });

  it('prints one line per object', () => {
    assert.equal(
      reportLine(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'meshop-operator'), 'unchanged'),
      'clusterrole.rbac.authorization.k8s.io/meshop-operator unchanged',
    );
    assert.equal(
      reportLine(obj('meshop.dev/v1alpha1', 'MeshConfig', 'demo'), DeleteOutcome.Absent),
      'meshconfig.meshop.dev/demo already absent',
    );
  });
});
