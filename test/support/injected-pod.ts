// Injected pods for tests of pure logic, made by the release's real injector: `istioctl kube-inject` of the
// release (built from its module by hack/istio.sh) runs the injection template and values of the istiod meshop
// renders for the revision, offline, with the same injection code istiod's webhook runs. Nothing here is written
// by hand; test/integration/real-istiod.test.ts checks that the webhook of a running istiod writes the same
// metadata as this offline injection, field for field, on both releases.
//
// Each distinct pod costs one istioctl run (about 0.3 s), so results are kept on disk, keyed by everything that
// decides them (the istioctl build, the injector's configuration and the pod).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/index.ts';
import { renderMesh } from '../../src/render/index.ts';
import { istioBinaries } from '../istio/istio-binaries.ts';
import { testRelease, testVersion } from './render-fixtures.ts';

type StringMap = Record<string, string>;

/** The pod as the injector receives it. */
export interface PodBeforeInjection {
  name?: string | undefined;
  generateName?: string | undefined;
  labels?: StringMap | undefined;
  annotations?: StringMap | undefined;
}

export interface InjectedMetadata {
  labels: StringMap;
  annotations: StringMap;
}

/** `sidecar` is the default template; `gateway` is the one the Istio gateway chart's pods ask for. */
export type InjectionTemplate = 'sidecar' | 'gateway';

const cacheDir = join(process.env.MESHOP_CACHE_DIR ?? join(homedir(), '.cache', 'meshop'), 'injected-pods');

/** The files `istioctl kube-inject` reads instead of the cluster's ConfigMaps, as meshop renders them. */
interface InjectorFiles {
  istioctl: string;
  /** The `config` (templates) and `values` of the istio-sidecar-injector ConfigMap, and the mesh config. */
  config: string;
  values: string;
  mesh: string;
}

const injectors = new Map<string, InjectorFiles>();

function istioctlOf(version: string): string {
  const dir = istioBinaries()[version];
  if (dir === undefined) {
    throw new Error(
      `injected pods come from Istio ${version}'s real injector (istioctl kube-inject), which is not built: ` +
        'run the tests through hack/test.sh, or eval "$(bash hack/istio.sh)" first',
    );
  }
  return join(dir, 'istioctl');
}

function configMapData(
  objects: readonly KubeObject[],
  match: (name: string) => boolean,
  key: string,
): string {
  const found = objects.find((o) => o.kind === 'ConfigMap' && match(o.metadata.name ?? ''));
  const data = (found as { data?: StringMap } | undefined)?.data?.[key];
  if (data === undefined) throw new Error(`the rendered mesh has no ConfigMap with data.${key}`);
  return data;
}

/** What meshop renders for `revision`'s injector ("" for an unrevisioned control plane). */
function injectorFiles(version: string, revision: string): InjectorFiles {
  const key = `${version}/${revision}`;
  let files = injectors.get(key);
  if (files === undefined) {
    const { release, artifacts } = testRelease(version);
    const spec = { version, profile: 'minimal', ...(revision === '' ? {} : { revision }) };
    const { objects } = renderMesh({ name: 'injector', spec }, release, artifacts);
    const injector = (name: string) => name.startsWith('istio-sidecar-injector');
    const meshConfig = (name: string) => name === (revision === '' ? 'istio' : `istio-${revision}`);
    files = {
      istioctl: istioctlOf(version),
      config: configMapData(objects, injector, 'config'),
      values: configMapData(objects, injector, 'values'),
      mesh: configMapData(objects, meshConfig, 'mesh'),
    };
    injectors.set(key, files);
  }
  return files;
}

function podToInject(pod: PodBeforeInjection, template: InjectionTemplate): KubeObject {
  const annotations = template === 'gateway' ? { 'inject.istio.io/templates': 'gateway' } : {};
  // The gateway chart's pods carry an `istio-proxy` container with image `auto` that the template fills in.
  const container =
    template === 'gateway' ? { name: 'istio-proxy', image: 'auto' } : { name: 'app', image: 'app' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(pod.name === undefined && pod.generateName !== undefined ? {} : { name: pod.name ?? 'workload' }),
      ...(pod.generateName === undefined ? {} : { generateName: pod.generateName }),
      ...(pod.labels ? { labels: pod.labels } : {}),
      annotations: { ...pod.annotations, ...annotations },
    },
    spec: { containers: [container] },
  };
}

function kubeInject(files: InjectorFiles, revision: string, input: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([files, revision, input]))
    .digest('hex')
    .slice(0, 32);
  const cached = join(cacheDir, `${digest}.yaml`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not injected before: run the injector
  }
  const dir = join(cacheDir, 'in', digest);
  mkdirSync(dir, { recursive: true });
  const path = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const output = execFileSync(
    files.istioctl,
    [
      'kube-inject',
      '--filename',
      path('pod.yaml', input),
      '--injectConfigFile',
      path('inject.yaml', files.config),
      '--valuesFile',
      path('values.json', files.values),
      '--meshConfigFile',
      path('mesh.yaml', files.mesh),
      // Without a revision istioctl asks a cluster for the default one; an unrevisioned istiod is "default".
      '--revision',
      revision === '' ? 'default' : revision,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
  // Whole or not at all: test files run in parallel processes and may inject the same pod.
  writeFileSync(`${cached}.${process.pid}`, output);
  renameSync(`${cached}.${process.pid}`, cached);
  return output;
}

/**
 * The pod's labels and annotations once `revision`'s injector (of Istio `version`) has injected it, its own ones
 * kept. "" is the unrevisioned control plane.
 */
export function injectedPodMetadata(
  revision: string,
  pod: PodBeforeInjection = {},
  template: InjectionTemplate = 'sidecar',
  version: string = testVersion,
): InjectedMetadata {
  const files = injectorFiles(version, revision);
  // istioctl ends its output with a document separator: the pod is the first document.
  const [first] = parseAllDocuments(kubeInject(files, revision, JSON.stringify(podToInject(pod, template))));
  const out = first?.toJS() as KubeObject | undefined;
  if (out?.metadata === undefined) throw new Error('istioctl kube-inject printed no pod');
  return { labels: { ...out.metadata.labels }, annotations: { ...out.metadata.annotations } };
}

/** The `sidecar.istio.io/status` annotation `revision`'s injector writes. */
export function sidecarStatus(revision: string, version: string = testVersion): string {
  const status = injectedPodMetadata(revision, {}, 'sidecar', version).annotations['sidecar.istio.io/status'];
  if (status === undefined) throw new Error('the injector wrote no sidecar.istio.io/status');
  return status;
}
