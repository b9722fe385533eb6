// Admission webhooks on the local control plane: a URL webhook on 127.0.0.1 is really called, and a Service
// webhook (what Istio installs) fails at once with "connection refused" because its ClusterIP is a loopback
// address with nothing listening, instead of waiting out its timeout or leaving the machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { startAdmissionServer } from '../support/admission-server.ts';
import { loopbackServingCert } from '../support/loopback-cert.ts';
import type { AdmissionServer } from '../support/admission-server.ts';
import { uniqueName } from '../support/names.ts';
import { dropNamespace, withNamespace } from '../support/namespaces.ts';

const vwcType = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' };

function webhookConfig(name: string, ns: string, clientConfig: Record<string, unknown>): KubeObject {
  return {
    ...vwcType,
    metadata: { name },
    webhooks: [
      {
        name: `${name}.meshop.dev`,
        clientConfig,
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  };
}

function configMap(ns: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { a: 'b' } };
}

describe('admission webhooks', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let ns: string;
  let server: AdmissionServer;
  const configs: string[] = [];
  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    ns = await withNamespace(kube, 'webhooks');
    const cert = loopbackServingCert(cluster, 'webhook');
    server = await startAdmissionServer(cert.certFile, cert.keyFile);
  });
  after(async () => {
    for (const name of configs) await kube.objects.delete({ ...vwcType, name });
    await dropNamespace(kube, ns);
    await server.close();
    await cluster.stop();
  });

  async function install(config: KubeObject): Promise<void> {
    configs.push(config.metadata.name!);
    await kube.objects.apply(config, { fieldManager: 'meshop-test' });
  }

  async function removeAll(): Promise<void> {
    while (configs.length) await kube.objects.delete({ ...vwcType, name: configs.pop()! });
  }

  it('calls a URL webhook on 127.0.0.1, which can deny', async () => {
    const caBundle = readFileSync(join(cluster.dir, 'pki', 'ca.crt')).toString('base64');
    await install(webhookConfig(uniqueName('url-hook'), ns, { url: server.url, caBundle }));
    // Webhook configurations reach the admission chain asynchronously; retry the allowed create until seen.
    let created = false;
    for (let i = 0; i < 100 && !created; i++) {
      await kube.objects.create(configMap(ns, `allowed-${String(i)}`));
      created = server.reviews.some((r) => r.name === `allowed-${String(i)}`);
      if (!created) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(created, 'the webhook saw an allowed create');
    await assert.rejects(
      kube.objects.create(configMap(ns, 'denied', { deny: 'yes' })),
      /denied by the test webhook/,
    );
    assert.ok(
      server.reviews.some((r) => r.name === 'denied' && r.operation === 'CREATE' && r.kind === 'ConfigMap'),
    );
    await removeAll();
  });

  it('a Service webhook fails fast with connection refused', async () => {
    const svcName = uniqueName('no-backend');
    const svc = await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svcName, namespace: ns },
        spec: { ports: [{ port: 443 }] },
      },
      { fieldManager: 'meshop-test' },
    );
    const clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    assert.match(clusterIP, /^127\.96\./, 'the ClusterIP is a loopback address');
    await install(
      webhookConfig(uniqueName('svc-hook'), ns, { service: { name: svcName, namespace: ns, port: 443 } }),
    );
    let message = '';
    for (let i = 0; i < 100 && !message.includes('failed calling webhook'); i++) {
      try {
        await kube.objects.create(configMap(ns, `probe-${String(i)}`));
        await new Promise((r) => setTimeout(r, 100));
      } catch (err) {
        message = (err as Error).message;
      }
    }
    assert.match(message, /failed calling webhook/);
    assert.match(
      message,
      new RegExp(`dial tcp ${clusterIP.replaceAll('.', '\\.')}:443: connect: connection refused`),
    );
    // Not a timeout: the URL carries `?timeout=10s`, so look for the errors a timed-out dial produces.
    assert.doesNotMatch(message, /deadline exceeded|i\/o timeout|context canceled/i);
  });
});
