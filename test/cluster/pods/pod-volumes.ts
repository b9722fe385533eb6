// A pod's volumes as directories on this host, and the mounts that put them where its containers expect them:
// emptyDir, Secret and ConfigMap (optional ones may be missing), projected service-account tokens (TokenRequest,
// bound to the pod, re-issued at 80% of their lifetime as a kubelet does) and the automounted service account
// at /var/run/secrets/kubernetes.io/serviceaccount.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeClient, KubeObject } from '../../../src/kube/index.ts';
import type { Container, Pod, ProjectedSource, Volume } from './pod-spec.ts';
import { downwardField } from './pod-env.ts';
import type { PodFacts } from './pod-env.ts';

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';
const apiTokenSeconds = 3600;

export interface Mount {
  source: string;
  target: string;
}

export interface PodVolumes {
  mountsFor(container: Container): Mount[];
  /** Earliest time (ms) a token must be re-issued; refresh() does it. */
  refreshAt: number;
  refresh(): Promise<void>;
}

type Writer = (path: string, content: string | Buffer) => void;

function atomicWriter(root: string): Writer {
  return (path, content) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, content, { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
  };
}

interface TokenStatus {
  status?: { token?: string };
}

async function issueToken(kube: KubeClient, pod: Pod, audience: string | undefined, seconds: number) {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = pod.spec.serviceAccountName ?? 'default';
  const body = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {
      ...(audience ? { audiences: [audience] } : {}),
      expirationSeconds: seconds,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
    },
  };
  const answer = (await kube.transport.json({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`,
    body,
    what: `token for ServiceAccount ${ns}/${sa}`,
  })) as TokenStatus;
  const token = answer.status?.token;
  if (!token) throw new Error(`TokenRequest for ${ns}/${sa} returned no token`);
  return token;
}

type DataObject = KubeObject & { data?: Record<string, string> };

interface KeyedSource {
  kind: 'Secret' | 'ConfigMap';
  namespace: string;
  name: string;
  optional?: boolean | undefined;
  items?: { key: string; path: string }[] | undefined;
}

async function keyedFiles(kube: KubeClient, ref: KeyedSource, write: Writer): Promise<void> {
  const { kind, namespace } = ref;
  const obj = await kube.objects.find<DataObject>({ apiVersion: 'v1', kind, namespace, name: ref.name });
  if (!obj) {
    if (ref.optional) return;
    throw new Error(`${kind} ${namespace}/${ref.name} not found`);
  }
  const decode = (v: string) => (kind === 'Secret' ? Buffer.from(v, 'base64') : v);
  const items = ref.items ?? Object.keys(obj.data ?? {}).map((key) => ({ key, path: key }));
  for (const item of items) {
    const value = obj.data?.[item.key];
    if (value !== undefined) write(item.path, decode(value));
  }
}

interface Refreshing {
  refreshAt: number;
  refresh(): Promise<void>;
}

export async function preparePodVolumes(
  kube: KubeClient,
  facts: PodFacts,
  podDir: string,
  clusterCa: string,
): Promise<PodVolumes> {
  const pod = facts.pod;
  const ns = pod.metadata.namespace ?? 'default';
  const tokens: { write: Writer; source: NonNullable<ProjectedSource['serviceAccountToken']> }[] = [];
  const dirs = new Map<string, string>();
  for (const volume of pod.spec.volumes ?? []) {
    const dir = join(podDir, 'volumes', volume.name);
    mkdirSync(dir, { recursive: true });
    dirs.set(volume.name, dir);
    const addToken: AddToken = (source, write) => {
      tokens.push({ source, write });
    };
    await fillVolume(kube, facts, volume, { write: atomicWriter(dir), addToken });
  }
  const saDir = join(podDir, 'serviceaccount');
  const saWrite = atomicWriter(saDir);
  saWrite('ca.crt', clusterCa);
  saWrite('namespace', ns);
  tokens.push({ source: { path: 'token', expirationSeconds: apiTokenSeconds }, write: saWrite });
  const refresher = tokenRefresher(kube, pod, tokens);
  await refresher.refresh();
  const automount = pod.spec.automountServiceAccountToken !== false;
  return {
    get refreshAt() {
      return refresher.refreshAt;
    },
    refresh: () => refresher.refresh(),
    mountsFor(container) {
      const mounts = (container.volumeMounts ?? []).flatMap((m) => {
        const dir = dirs.get(m.name);
        return dir ? [{ source: m.subPath ? join(dir, m.subPath) : dir, target: m.mountPath }] : [];
      });
      const explicit = mounts.some((m) => m.target === serviceAccountDir);
      return automount && !explicit ? [...mounts, { source: saDir, target: serviceAccountDir }] : mounts;
    },
  };
}

function tokenRefresher(
  kube: KubeClient,
  pod: Pod,
  tokens: { write: Writer; source: NonNullable<ProjectedSource['serviceAccountToken']> }[],
): Refreshing {
  const state: Refreshing = {
    refreshAt: 0,
    async refresh() {
      let next = Infinity;
      for (const { write, source } of tokens) {
        const seconds = source.expirationSeconds ?? 3600;
        write(source.path, await issueToken(kube, pod, source.audience, seconds));
        next = Math.min(next, Date.now() + seconds * 800);
      }
      state.refreshAt = next;
    },
  };
  return state;
}

type AddToken = (source: NonNullable<ProjectedSource['serviceAccountToken']>, write: Writer) => void;

/** The volume's sources, each as a projected source (a Secret or ConfigMap volume is one such source). */
function sourcesOf(volume: Volume): ProjectedSource[] {
  const own: ProjectedSource[] = [];
  if (volume.secret) own.push({ secret: { ...volume.secret, name: volume.secret.secretName } });
  if (volume.configMap) own.push({ configMap: volume.configMap });
  if (volume.downwardAPI) own.push({ downwardAPI: volume.downwardAPI });
  return [...own, ...(volume.projected?.sources ?? [])];
}

async function fillVolume(
  kube: KubeClient,
  facts: PodFacts,
  volume: Volume,
  out: { write: Writer; addToken: AddToken },
): Promise<void> {
  const namespace = facts.pod.metadata.namespace ?? 'default';
  for (const source of sourcesOf(volume)) {
    if (source.serviceAccountToken) out.addToken(source.serviceAccountToken, out.write);
    if (source.configMap)
      await keyedFiles(kube, { kind: 'ConfigMap', namespace, ...source.configMap }, out.write);
    if (source.secret) await keyedFiles(kube, { kind: 'Secret', namespace, ...source.secret }, out.write);
    for (const item of source.downwardAPI?.items ?? []) {
      if (item.fieldRef) out.write(item.path, downwardField(facts, item.fieldRef));
    }
  }
}
