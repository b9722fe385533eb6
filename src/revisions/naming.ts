// Which revision a MeshConfig asks for. InPlace keeps one revision (spec.revision, or the unrevisioned
// "default") and upgrades it; RevisionBased gives every version a revision of its own, so a version change
// installs a new control plane beside the old one.
import type { MeshConfigSpec } from '../api/index.ts';
import { UpdateStrategyType } from '../api/index.ts';
import { defaultVersion } from '../catalog/index.ts';

/** The `istio.io/rev` value of an unrevisioned control plane. */
export const defaultRevisionName = 'default';

/** The Istio release a spec asks for: spec.version, or the newest the catalog knows. */
export function versionOf(spec: MeshConfigSpec | undefined): string {
  return spec?.version ?? defaultVersion;
}

/** `<mesh>-<version with dots as dashes>`, e.g. prod-1-30-2; cut to the 63 characters a label value allows. */
export function revisionNameFor(mesh: string, version: string): string {
  const name = `${mesh}-${version.replaceAll('.', '-')}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return name.slice(0, 63).replace(/-+$/, '');
}

function explicitRevision(spec: MeshConfigSpec | undefined): string | undefined {
  const fromValues = (spec?.values as { revision?: unknown } | undefined)?.revision;
  const named = spec?.revision ?? (typeof fromValues === 'string' ? fromValues : undefined);
  return named === '' ? undefined : named;
}

/** The revision the spec's version runs as; `default` means the unrevisioned control plane. */
export function desiredRevision(mesh: string, spec: MeshConfigSpec | undefined): string {
  const named = explicitRevision(spec);
  if (named !== undefined) return named;
  if (spec?.updateStrategy?.type === UpdateStrategyType.RevisionBased) {
    return revisionNameFor(mesh, versionOf(spec));
  }
  return defaultRevisionName;
}

/**
 * Whether a tag has the name of one of the mesh's revisions: both are istio.io/rev values, so a namespace label
 * could mean either. One exception: the `default` tag beside an old unrevisioned control plane (also "default")
 * while the mesh moves to a revision, the canary step away from an unrevisioned install.
 */
export function tagClashesWithRevision(tag: string, desired: string, revisions: readonly string[]): boolean {
  if (!revisions.includes(tag)) return false;
  return !(tag === defaultRevisionName && desired !== defaultRevisionName);
}

/** Where every release's profiles put the control plane when the spec names no namespace. */
export const defaultIstioNamespace = 'istio-system';

/** The control plane a MeshConfig asks for: the one answer to "which namespace and revision". */
export interface ControlPlane {
  readonly namespace: string;
  /** `default` for the unrevisioned control plane. */
  readonly revision: string;
}

function explicitNamespace(spec: MeshConfigSpec | undefined): string | undefined {
  const global = (spec?.values as { global?: { istioNamespace?: unknown } } | undefined)?.global;
  const fromValues = typeof global?.istioNamespace === 'string' ? global.istioNamespace : undefined;
  const named = spec?.namespace ?? fromValues;
  return named === '' ? undefined : named;
}

/**
 * The namespace (spec.namespace, else values.global.istioNamespace, else the profiles' istio-system) and the
 * revision (desiredRevision: explicit, RevisionBased's per-version name, or `default`) of a MeshConfig's control
 * plane. The renderer, the claim check and the revision logic all take it from here.
 */
export function controlPlaneOf(mesh: string, spec: MeshConfigSpec | undefined): ControlPlane {
  return {
    namespace: explicitNamespace(spec) ?? defaultIstioNamespace,
    revision: desiredRevision(mesh, spec),
  };
}
