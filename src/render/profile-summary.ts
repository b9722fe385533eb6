// What a release's profile installs, for `meshop profile list`: its components as the renderer would enable them
// (the profile's file over the release's default, istioctl's enablement rules).
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import { profileDescriptions, releaseProfileNames } from '../profiles/index.ts';
import { enabledInstances } from './chart-components.ts';
import { mergeIstioOperator } from './istio-operator-input.ts';

export interface ProfileComponent {
  /** The component's key in `spec.components` ("pilot", "ingressGateways"). */
  readonly key: string;
  /** The gateway's name; for the others the key. */
  readonly name: string;
  /** Only when it is not the control-plane namespace. */
  readonly namespace?: string;
}

export interface ProfileSummary {
  readonly name: string;
  readonly description: string;
  readonly components: readonly ProfileComponent[];
}

export function profileSummary(
  name: string,
  release: IstioRelease,
  artifacts: IstioArtifacts,
): ProfileSummary {
  const { spec, namespace } = mergeIstioOperator({ profile: name }, release, artifacts);
  const components = enabledInstances(spec, namespace).map((instance): ProfileComponent => {
    const key = instance.component.key;
    const own = instance.namespace === namespace ? {} : { namespace: instance.namespace };
    return { key, name: instance.name ?? key, ...own };
  });
  return { name, description: profileDescriptions[name] ?? '', components };
}

/** Every profile of the release, in list order. */
export function profileSummaries(release: IstioRelease, artifacts: IstioArtifacts): ProfileSummary[] {
  return releaseProfileNames(artifacts.profiles).map((name) => profileSummary(name, release, artifacts));
}

/** e.g. `ambient: base, pilot, cni, ztunnel`, with a component's own namespace in parentheses. */
export function formatComponents(summary: ProfileSummary): string {
  const parts = summary.components.map((c) =>
    c.namespace === undefined ? c.name : `${c.name} (${c.namespace})`,
  );
  return parts.length === 0 ? '(nothing)' : parts.join(', ');
}
