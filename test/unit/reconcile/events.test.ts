// Events are best-effort: one that cannot be written is logged and dropped, and the reconcile goes on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, ObjectClient } from '../../../src/kube/index.ts';
import { EventType, apiEventRecorder } from '../../../src/reconcile/index.ts';
import { silentLogger } from '../../../src/runtime/index.ts';
import type { LogFields, Logger } from '../../../src/runtime/index.ts';

const mesh: KubeObject = {
  apiVersion: 'meshop.dev/v1alpha1',
  kind: 'MeshConfig',
  metadata: { name: 'demo' },
};

function recordingLogger(): { logger: Logger; warnings: { message: string; fields?: LogFields }[] } {
  const warnings: { message: string; fields?: LogFields }[] = [];
  const logger: Logger = {
    ...silentLogger(),
    warn: (message, fields) => {
      warnings.push({ message, ...(fields ? { fields } : {}) });
    },
  };
  return { logger, warnings };
}

describe('apiEventRecorder', () => {
  it('logs and drops an Event the API server refuses, without failing the caller', async () => {
    const { logger, warnings } = recordingLogger();
    const client = {
      create: () => Promise.reject(new Error('events is forbidden')),
    } as unknown as ObjectClient;
    const recorder = apiEventRecorder(client, () => new Date(0), logger);
    await recorder.record(mesh, EventType.Warning, 'ComponentFailed', 'istiod is not ready');
    assert.equal(warnings.length, 1);
    assert.equal(warnings.at(0)?.fields?.reason, 'ComponentFailed');
    assert.match(String(warnings.at(0)?.fields?.error), /forbidden/);
  });

  it('writes the Event about the mesh when it can', async () => {
    const created: KubeObject[] = [];
    const client = {
      create: (o: KubeObject) => (created.push(o), Promise.resolve(o)),
    } as unknown as ObjectClient;
    await apiEventRecorder(client, () => new Date(0), recordingLogger().logger).record(
      mesh,
      EventType.Normal,
      'Installed',
      'ready',
    );
    assert.equal(created.length, 1);
    assert.deepEqual((created[0] as { involvedObject?: unknown }).involvedObject, {
      apiVersion: 'meshop.dev/v1alpha1',
      kind: 'MeshConfig',
      name: 'demo',
      uid: undefined,
    });
  });
});
