// A throwaway namespace per test, created by server-side apply and deleted afterwards.
import type { KubeClient } from '../../src/kube/index.ts';
import { uniqueName } from './names.ts';

export async function withNamespace(
  kube: KubeClient,
  prefix: string,
  labels: Record<string, string> = {},
): Promise<string> {
  const name = uniqueName(prefix);
  await kube.objects.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
    { fieldManager: 'meshop-test' },
  );
  return name;
}

export async function dropNamespace(kube: KubeClient, name: string): Promise<void> {
  await kube.objects.delete({ apiVersion: 'v1', kind: 'Namespace', name });
}
