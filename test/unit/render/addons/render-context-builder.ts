// A RenderContext for addon tests: only the namespace and the mesh config matter to the addons, so the release
// and its artifacts are minimal stand-ins of the right types.
import type { IstioArtifacts } from '../../../../src/artifacts/index.ts';
import type { IstioRelease } from '../../../../src/catalog/index.ts';
import type { RenderContext } from '../../../../src/render/context.ts';
import type { Tree } from '../../../../src/render/values.ts';

const release: IstioRelease = {
  version: '1.31.0',
  minor: '1.31',
  hub: 'docker.io/istio',
  tag: '1.31.0',
  istioModule: undefined,
  minKubernetes: '1.32',
  artifactChecksums: {},
  crdNames: [],
};

const unused = (what: string) => (): never => {
  throw new Error(`addon renderers do not read ${what}`);
};

const artifacts: IstioArtifacts = {
  version: '1.31.0',
  profiles: {},
  chart: unused('charts'),
  chartEngine: unused('the chart engine'),
  renderCache: { get: unused('rendered charts'), set: unused('rendered charts') },
  apiDefinitions: unused('API definitions'),
  apiDigest: unused('API definitions'),
  derived: { get: unused('derived values') },
};

export interface ContextOptions {
  namespace?: string;
  meshConfig?: Tree;
}

export function renderContext(options: ContextOptions = {}): RenderContext {
  return {
    mesh: 'mesh',
    namespace: options.namespace ?? 'istio-system',
    revision: undefined,
    release,
    artifacts,
    values: {},
    meshConfig: options.meshConfig ?? {},
    components: {},
    spec: {},
  };
}

/** `value`, frozen all the way down: a renderer that writes into its input throws. */
export function deepFrozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFrozen(child);
    Object.freeze(value);
  }
  return value;
}
